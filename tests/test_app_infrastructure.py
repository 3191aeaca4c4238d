"""Infrastructure page: table, map and timeline, filtered by distance to the border and status."""

from __future__ import annotations

import json

from test_app_release import app_env, no_exception, open_page, release_dir, warnings_text  # noqa: F401


def test_projects_table_map_and_timeline(app_env):
    at = open_page("infrastructure")
    no_exception(at)
    table = at.dataframe[0].value
    assert len(table) > 0 and {"budget_text", "funders_text", "distance_to_border_km"} <= set(table.columns)
    assert (table["funders_text"] == "not published (policy)").any()      # surveillance funders are dropped
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    features = next(layer for layer in spec["layers"] if layer["id"] == "projects")["data"]["features"]
    assert len(features) == len(table)
    assert all(set(f["properties"]) == {"tooltip", "colour"} for f in features)
    assert at.get("vega_lite_chart")


def test_distance_and_status_filters_change_the_table(app_env):
    at = open_page("infrastructure")
    everything = len(at.dataframe[0].value)
    at.select_slider(key="projects_km").set_value("5").run()
    no_exception(at)
    near = at.dataframe[0].value
    assert len(near) < everything and (near["distance_to_border_km"] <= 5).all()
    assert at.query_params["within_km"] == "5"
    at.select_slider(key="projects_km").set_value("any").run()
    at.pills(key="projects_status").set_value(["completed"]).run()
    assert set(at.dataframe[0].value["status_label"]) == {"completed"}
    assert at.query_params["status"] == "completed"


def test_bad_parameters_fall_back_with_a_warning(app_env):
    at = open_page("infrastructure", {"within_km": "3.5", "status": "demolished,planned"})
    no_exception(at)
    text = warnings_text(at)
    assert "distance" in text and "status" in text
    assert at.query_params["within_km"] == "any" and at.query_params["status"] == "planned"
