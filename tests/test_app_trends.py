"""Crossing trends page: series by period and breakdown, withheld share, year-over-year, mirror statistics."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from support import SAMPLE, query, run_cli, write
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


@pytest.mark.parametrize("grain", ["month", "quarter", "year"])
def test_the_summary_names_the_last_month_of_the_last_step(app_env, grain):
    at = open_page("trends", {"from": "2024-01", "to": "2024-12", "grain": grain})
    no_exception(at)
    series = _summaries(at)["series"]
    assert f"per {grain}, Jan 2024 to Dec 2024" in series, series


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


# ---------------------------------------------------------------------------------------------- withheld, not zero

ALL_SUPPRESSED = {"border": "CAN-USA", "port": "USA-3425", "measure": "trucks", "from": "2023-01", "to": "2025-02"}
SOME_SUPPRESSED = {**ALL_SUPPRESSED, "port": "USA-3309"}
ZERO_TOTAL = re.compile(r"(?<![\d,.])0(?![\d,.%])")   # a figure 0 (not 0% nor part of a number or a date)


def _summaries(at) -> dict[str, str]:
    """The one-line summaries under the charts: series, same months of earlier years, mirror."""
    captions = [c.value for c in at.caption]
    series = re.compile(r" per (month|quarter|year), [A-Z][a-z]{2} \d{4} to ")
    found = {"series": next((c for c in captions if series.search(c)), None),
             "seasonal": next((c for c in captions if re.match(r"\d+ years, ", c)), None),
             "mirror": next((c for c in captions if c.startswith(("Over ", "In the "))), None)}
    return {k: v for k, v in found.items() if v}


def _release_figures(release_dir: str, location: str, measure: str, first: str, last: str) -> tuple[int, int, int]:
    """(figures, published, sum of the published) of one crossing point and measure, read from the release."""
    return query(Path(release_dir) / "borderlens.duckdb",
                 "select count(*), count(value), sum(value) from crossings where location_id = ? and measure = ? "
                 "and period_start between ?::date and ?::date",
                 [location, measure, f"{first}-01", f"{last}-01"])[0]


def test_a_port_whose_figures_are_all_withheld_says_so_instead_of_zero(app_env):
    figures, published, _ = _release_figures(app_env, "USA-3425", "trucks", "2023-01", "2025-02")
    assert figures > 0 and published == 0, "the demo policy suppresses every truck figure at USA-3425"
    at = open_page("trends", ALL_SUPPRESSED)
    no_exception(at)
    assert at.selectbox(key="trends_port").value == "USA-3425" and "crossing point" not in warnings_text(at)
    found = _summaries(at)
    assert {"series", "seasonal"} <= set(found), found
    for name in ("series", "seasonal"):
        text = found[name]
        assert "no published figure" in text and "withheld" in text, text
        assert " 0 " not in text and not ZERO_TOTAL.search(text), text
    assert f"all {figures:,} withheld" in found["series"]


def test_a_port_with_some_figures_withheld_gives_a_lower_bound(app_env):
    figures, published, total = _release_figures(app_env, "USA-3309", "trucks", "2023-01", "2025-02")
    assert 0 < published < figures, "the demo policy suppresses some truck figures at USA-3309"
    at = open_page("trends", SOME_SUPPRESSED)
    no_exception(at)
    series = _summaries(at)["series"]
    assert f"at least {total:,.0f} in all (published figures only)" in series, series
    assert "withheld" in series


@pytest.fixture(scope="module")
def all_suppressed_release(tmp_path_factory) -> Path:
    """The sample's Canadian mirror figures and the BTS figures of the same ports, published under a policy
    that suppresses every crossing figure (k above any count). A few ports keep the audit of an all-suppressed
    table short; both sides of the CAN-USA border are still there for the mirror view."""
    folder = tmp_path_factory.mktemp("all_suppressed")
    write(folder / "policy.toml", '[policy]\nname = "suppress everything"\n\n[[rule]]\nid = "all"\ndataset = '
                                  '"crossings"\naction = "suppress_below"\nfields = ["value"]\nk = 1000000000\n'
                                  'accept_unprotectable = true\nreason = "test: every figure withheld"\n')
    inputs = folder / "inputs"
    inputs.mkdir()
    mirror = SAMPLE / "crossings" / "mirror_neighbour_counts_demo.csv"
    for path in (mirror, mirror.with_name(mirror.name + ".meta.toml")):
        shutil.copy(path, inputs / path.name)
    ports = {line.split(";")[2].removeprefix("USA-") for line in mirror.read_text(encoding="utf-8").splitlines()[1:]}
    bts = (SAMPLE / "crossings" / "bts_border_crossing_entry_data_2023-01_2025-02.csv").read_text(encoding="utf-8")
    header, *rows = bts.splitlines(keepends=True)
    kept = [row for row in rows if row.split(",")[2] in ports]
    assert len(kept) > 500, (ports, len(kept))
    write(inputs / "bts_mirrored_ports.csv", header + "".join(kept))
    run_cli("ingest", inputs, "--db", folder / "work.duckdb", "--no-progress")
    run_cli("publish", "--db", folder / "work.duckdb", "--policy", folder / "policy.toml", "--out",
            folder / "release")
    release = folder / "release"
    assert query(release / "borderlens.duckdb", "select count(value) from crossings") == [(0,)]
    return release


@pytest.mark.parametrize("link", [{"by": "border"}, {"border": "CAN-USA"}, {"border": "CAN-USA", "grain": "year"}])
def test_when_every_figure_is_withheld_no_summary_shows_a_zero(app_env, all_suppressed_release, monkeypatch, link):
    monkeypatch.setenv("BORDERLENS_RELEASE", str(all_suppressed_release))
    at = open_page("trends", link)
    no_exception(at)
    found = _summaries(at)
    assert {"series", "seasonal"} <= set(found), [c.value for c in at.caption]
    if "border" in link:
        assert "mirror" in found, [c.value for c in at.caption]   # the demo's CAN-USA flows reported by both sides
    for text in found.values():
        assert "withheld" in text, text
        assert " 0 " not in text and "(0)" not in text and "+0" not in text, text
        assert not ZERO_TOTAL.search(text), text


def test_a_series_named_by_the_data_stays_inert_in_the_summary():
    from data_pipeline.views.queries_trends import series_summary

    hostile = "![x](https://tracker.invalid/p.png) <img src=x> **bold**"
    series = pd.DataFrame({"period": pd.to_datetime(["2024-01-01", "2024-02-01"]), "series": [hostile, hostile],
                           "value": [5.0, 7.0], "figures": [1, 1], "published": [1, 1], "withheld": [0, 0],
                           "withheld_share": [0.0, 0.0]})
    text = series_summary(series, "Trucks per month", "location")
    assert "12 in all" in text
    # every markdown or HTML mark of the name is backslash-escaped, so the caption shows it as text
    for mark in (r"!\[", r"\]\(", "<img", r"\*\*"):
        assert not re.search(r"(?<!\\)" + mark, text), (mark, text)
    assert "tracker" in text  # shown, not dropped


@pytest.fixture(scope="module")
def hostile_publisher_release(tmp_path_factory) -> Path:
    """The 2019 BTS sample published under a sidecar whose publisher and licence hold markdown and HTML."""
    folder = tmp_path_factory.mktemp("hostile_publisher")
    data = folder / "bts_sample.csv"
    data.write_bytes((SAMPLE / "crossings" / "bts_border_crossing_entry_data_2019_insight_sample.csv").read_bytes())
    write(folder / "bts_sample.csv.meta.toml", '[source]\npublisher = "![p](https://tracker.invalid/p.png) <b>x</b>"\n'
                                               'licence = "[click](javascript:alert(1)) **CC0**"\n')
    run_cli("ingest", data, "--db", folder / "work.duckdb", "--no-progress")
    run_cli("publish", "--db", folder / "work.duckdb", "--policy", SAMPLE / "policy.toml", "--out",
            folder / "release")
    return folder / "release"


def test_a_publisher_name_with_markdown_stays_inert_in_the_source_lines(app_env, hostile_publisher_release,
                                                                         monkeypatch):
    monkeypatch.setenv("BORDERLENS_RELEASE", str(hostile_publisher_release))
    at = open_page("trends", {"from": "2019-01", "to": "2019-03"})
    no_exception(at)
    lines = [c.value for c in at.caption if c.value.startswith(("Source:", "Licence:"))]
    assert lines and any("tracker" in line for line in lines), [c.value for c in at.caption]
    for line in lines:
        for mark in (r"!\[", r"\]\(", "<b>", r"\*\*"):
            assert not re.search(r"(?<!\\)" + mark, line), (mark, line)
