"""Issue 12 point 7 on the real test release (AppTest): a bad `layers` link draws every layer, the breakdown by
crossing point names 8 places and the rest, and the mirror view follows the chosen measure and labels synthetic
counterpart figures."""

from __future__ import annotations

import json

import duckdb

from data_pipeline.views.charts import PALETTE
from data_pipeline.views.queries import measure_label
from test_app_release import app_env, no_exception, open_page, release_dir  # noqa: F401


def _spec(at) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def test_a_bad_layers_link_draws_every_layer_as_it_says(app_env):
    at = open_page("map", {"layers": "nope"})
    no_exception(at)
    warning = " ".join(w.value for w in at.warning)
    assert "showing all instead" in warning
    drawn = {layer["id"] for layer in _spec(at)["layers"]}
    assert {"crossings"} <= drawn and ({"notices", "notice-cells"} & drawn) and ({"projects", "project-cells"} & drawn)
    assert at.query_params.get("layers") in (None, "crossings,notices,projects")


def test_the_eight_largest_crossing_points_are_eight(app_env):
    at = open_page("trends", {"by": "location", "measure": "trucks"})
    no_exception(at)
    table = next(df.value for df in at.dataframe if "series" in df.value.columns)
    names = set(table["series"]) - {"other crossing points"}
    assert len(names) == 8, sorted(names)


def test_the_mirror_view_follows_the_measure_and_labels_synthetic_sides(app_env):
    for measure in ("trucks", "buses"):
        at = open_page("trends", {"measure": measure})
        no_exception(at)
        gaps = at.dataframe[-1].value
        assert len(gaps) and set(gaps["measure_label"]) == {measure_label(measure)}
        with duckdb.connect(f"{app_env}/borderlens.duckdb", read_only=True) as con:
            synthetic = {r[0] for r in con.sql("select distinct coalesce(c.reporter_iso3, c.reporter_org) from "
                                               "crossings c join sources s using (source_id) where s.synthetic "
                                               "and c.direction = 'outbound'").fetchall()}
        assert synthetic   # the demo's counterpart (outbound) figures are synthetic
        for reporter in gaps["outbound_reporter"]:
            assert reporter.endswith(" (synthetic)") and reporter.removesuffix(" (synthetic)") in synthetic
        flow = at.selectbox(key="trends_mirror")
        assert "synthetic figures" in flow.format_func(flow.value)


def _colour_scales(at) -> list[dict[str, str]]:
    """name -> colour of every keyed colour scale in the page's charts (layers and concatenations included)."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            scale = (node.get("color") or {}).get("scale") if isinstance(node.get("color"), dict) else None
            if scale and "domain" in scale and "range" in scale:
                found.append(dict(zip(scale["domain"], scale["range"])))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for chart in at.get("vega_lite_chart"):
        walk(json.loads(chart.proto.spec))
    return found


def test_a_series_keeps_its_colour_across_the_page(app_env):
    at = open_page("trends", {"by": "border", "grain": "month"})
    no_exception(at)
    scales = _colour_scales(at)
    assert len(scales) >= 2   # the series chart and the year-earlier chart are both broken down by border
    colour_of: dict[str, str] = {}
    for scale in scales:
        for name, colour in scale.items():
            assert colour_of.setdefault(name, colour) == colour, (name, colour_of[name], colour)
    # two series share a colour only when there are more series than the palette's eight colours
    assert len(set(colour_of.values())) == min(len(colour_of), len(PALETTE))
