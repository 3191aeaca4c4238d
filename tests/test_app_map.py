"""Map page: offline basemap, one row per crossing point, cells for coarsened places, text-only tooltips."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from test_app_release import (XSS_PORT, XSS_PORT_CODE, app_env, no_exception, open_page,  # noqa: F401
                              release_dir, warnings_text)


def _spec(at) -> dict:
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.json)


def _layer(spec: dict, layer_id: str) -> dict:
    return next(layer for layer in spec["layers"] if layer["id"] == layer_id)


def _query(release_dir: str, text: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(Path(release_dir) / "borderlens.duckdb"), read_only=True)
    try:
        return con.execute(text, params or []).fetchall()
    finally:
        con.close()


def test_map_is_offline_and_its_layers_carry_only_what_they_draw(app_env):
    at = open_page("map")
    no_exception(at)
    spec = _spec(at)
    # map_provider=None and no map_style: pydeck sends its "__MAP_STYLE__" placeholder, which Streamlit drops,
    # so no tile or style server is asked (any other style would make the browser fetch it from the internet).
    assert spec.get("mapProvider") is None and spec.get("mapStyle") in (None, "__MAP_STYLE__")
    basemap = [layer for layer in spec["layers"] if layer["id"].startswith("basemap-")]
    assert [b["data"] for b in basemap] == ["app/static/geo/countries_110m.geojson",
                                            "app/static/geo/borders_land_50m.geojson",
                                            "app/static/geo/borders_disputed_10m.geojson"]
    for b in basemap:
        assert (Path(__file__).resolve().parent.parent / b["data"].removeprefix("app/")).is_file()
    assert _layer(spec, "basemap-disputed")["extensions"][0]["@@type"] == "PathStyleExtension"
    crossings = _layer(spec, "crossings")["data"]
    assert crossings and all(set(row) == {"lon", "lat", "radius", "colour", "tooltip"} for row in crossings)
    for layer_id in ("notices", "projects"):
        for feature in _layer(spec, layer_id)["data"]["features"]:
            assert set(feature["properties"]) == {"tooltip", "colour"}
    tooltip = json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)
    assert tooltip == {"text": "{tooltip}"}                  # text, never html


def test_crossings_are_one_point_per_location_not_monthly_rows(app_env, release_dir):
    at = open_page("map", {"layers": "crossings"})
    points = _layer(_spec(at), "crossings")["data"]
    locations = _query(release_dir, "select count(distinct location_id) from crossings where lat is not null "
                                    "and measure in ('persons','pedestrians','personal_vehicle_passengers',"
                                    "'bus_passengers','train_passengers') and location_cell_geojson is null")[0][0]
    assert len(points) == locations
    assert len(json.dumps(_spec(at))) < 200_000


def test_coarsened_exercise_areas_are_drawn_as_their_cells(app_env, release_dir):
    cells = _query(release_dir, "select notice_id, location_cell_geojson from exercise_notices "
                                "where location_cell_geojson is not null")
    assert cells, "the demo policy coarsens exercise areas near borders"
    at = open_page("map", {"layers": "notices"})
    features = _layer(_spec(at), "notices")["data"]["features"]
    drawn = [json.dumps(f["geometry"], sort_keys=True) for f in features]
    for notice_id, cell in cells:
        assert json.dumps(json.loads(cell), sort_keys=True) in drawn, notice_id
    tooltips = " ".join(f["properties"]["tooltip"] for f in features)
    assert "location coarsened to about" in tooltips


def test_changing_the_measure_changes_the_points(app_env):
    at = open_page("map", {"layers": "crossings"})
    before = _layer(_spec(at), "crossings")["data"]
    at.selectbox(key="map_measure").set_value("trucks").run()
    no_exception(at)
    after = _layer(_spec(at), "crossings")["data"]
    assert at.query_params["measure"] == "trucks"
    assert before != after and "trucks" in after[0]["tooltip"]


def test_hostile_names_stay_text_in_tooltips(app_env):
    at = open_page("map", {"layers": "crossings", "measure": "pedestrians", "border": "MEX-USA"})
    points = _layer(_spec(at), "crossings")["data"]
    hostile = [p for p in points if f"USA-{XSS_PORT_CODE}" in p["tooltip"]]
    assert hostile and hostile[0]["tooltip"].startswith(XSS_PORT)


def test_bad_parameters_fall_back_with_a_warning(app_env):
    at = open_page("map", {"measure": "<b>nope</b>", "layers": "crossings,volcanoes"})
    no_exception(at)
    text = warnings_text(at)
    assert "measure" in text and "map layers" in text
    assert at.query_params["measure"] == "people"
    assert at.query_params["layers"] == "crossings"
