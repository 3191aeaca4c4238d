"""Crossing trends page: series by period and breakdown, withheld share, year-over-year, mirror statistics."""

from __future__ import annotations

import json

from test_app_release import app_env, no_exception, open_page, release_dir, warnings_text  # noqa: F401


def _charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def _chart_text(at) -> str:
    return " ".join(c.proto.spec for c in at.get("vega_lite_chart"))


def test_trends_run_with_withheld_share_and_mirrors(app_env):
    at = open_page("trends")
    no_exception(at)
    text = _chart_text(at)
    assert "Share of the figures withheld" in text
    assert "withheld_share" in text
    assert "The two figures side by side" in text           # the demo has flows reported by both sides
    mirrors = at.dataframe[-1].value
    assert {"inbound_total", "outbound_total", "net_gap"} <= set(mirrors.columns)
    assert (mirrors["inbound_reporter"] != mirrors["outbound_reporter"]).all()
    assert {"measure", "grain", "by", "port"} <= set(at.query_params.keys())


def test_changing_the_time_step_changes_the_series(app_env):
    at = open_page("trends")
    months = _chart_text(at)
    at.segmented_control(key="trends_grain").set_value("year").run()
    no_exception(at)
    assert at.query_params["grain"] == "year"
    years = _chart_text(at)
    assert months != years and "per year" in years


def test_breakdown_by_crossing_point_and_one_port(app_env):
    at = open_page("trends", {"by": "location"})
    no_exception(at)
    assert "Crossing point (8 largest)" in _chart_text(at)
    at.selectbox(key="trends_port").set_value("USA-0209").run()
    no_exception(at)
    assert at.query_params["port"] == "USA-0209"
    assert "Derby Line" in at.selectbox(key="trends_port").value or at.selectbox(key="trends_port").value


def test_bad_parameters_fall_back_with_a_warning(app_env):
    at = open_page("trends", {"grain": "fortnight", "by": "<i>x</i>", "port": "NOWHERE-1", "mirror": "x|y"})
    no_exception(at)
    text = warnings_text(at)
    assert "time step" in text and "breakdown" in text and "crossing point" in text and "mirror pair" in text
    assert at.query_params["grain"] == "month" and at.query_params["by"] == "total"
    assert at.query_params["port"] == "all"
