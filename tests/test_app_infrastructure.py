"""Infrastructure page: table (one page at a time), map and timeline, filtered by distance to the border and status;
figures, pages and downloads checked against the release file itself."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from support import query
from test_app_release import (app_env, no_exception, open_page, release_dir, warnings_text,  # noqa: F401
                              whole_period)


def _period(at) -> tuple[date, date]:
    first = date.fromisoformat(at.query_params["from"] + "-01")
    return first, pd.Period(at.query_params["to"], freq="M").end_time.date()


def _matching(release_dir: str, at, max_km: float | None = None, statuses=None) -> list[tuple]:
    """(project_id, status, has a place, starts, ends) of the projects the page should list, read from the release
    file directly: active in the period or undated, within max_km of a border, with one of the statuses."""
    first, last = _period(at)
    database = Path(release_dir) / "borderlens.duckdb"
    [(created,)] = query(database, "select value::date from release_info where key = 'created'")
    rows = query(database, """
        select project_id, status, distance_to_border_km,
               location_cell_geojson is not null or geometry_geojson is not null
               or (lat is not null and lon is not null),
               coalesce(actual_start, planned_start), actual_end, planned_end
        from infrastructure_projects""")
    rows = [(pid, status, km, placed, starts,
             # under construction or suspended without an actual end: still running on the release date
             max(d for d in (planned, created) if d) if actual is None and status in ("under_construction",
                                                                                      "suspended")
             else actual or planned)
            for pid, status, km, placed, starts, actual, planned in rows]
    return [(pid, status, placed, starts, ends) for pid, status, km, placed, starts, ends in rows
            if (starts is None or starts <= last) and (ends is None or ends >= first)
            and (max_km is None or (km is not None and km <= max_km))
            and (not statuses or status in statuses)]


def _caption(at, pattern: str) -> re.Match:
    texts = [c.value for c in at.caption] + [m.value for m in at.markdown]
    match = next((m for m in (re.search(pattern, t) for t in texts) if m), None)
    assert match, (pattern, texts)
    return match


def _spec(at) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def _chart_data(at) -> pd.DataFrame:
    """The rows the timeline chart draws: its one Vega-Lite dataset, decoded from the Arrow bytes sent."""
    [chart] = at.get("vega_lite_chart")
    [dataset] = chart.proto.datasets
    assert json.loads(chart.proto.spec)["data"]["name"] == dataset.name
    return pa.ipc.open_stream(dataset.data.data).read_all().to_pandas()


def _bars(expected: list[tuple]) -> list[tuple]:
    """(starts, ends) of the bars the timeline should draw: dated projects; no end: the start day."""
    return sorted((starts, ends or starts) for _, _, _, starts, ends in expected if starts is not None)


def _drawn(chart: pd.DataFrame) -> list[tuple]:
    return sorted(zip(chart["starts"].dt.date, chart["ends"].dt.date))


def test_projects_table_map_and_timeline(app_env):
    at = open_page("infrastructure")
    no_exception(at)
    table = at.dataframe[0].value
    expected = _matching(app_env, at)
    assert 0 < len(table) == min(len(expected), 100)
    assert {"budget_text", "funders_text", "distance_to_border_km"} <= set(table.columns)
    surveillance = open_page("infrastructure", {"countries": "POL", **whole_period(app_env)}).dataframe[0].value
    assert (surveillance["funders_text"] == "not published (policy)").any()   # surveillance funders are dropped
    features = next(layer for layer in _spec(at)["layers"] if layer["id"] == "projects")["data"]["features"]
    assert len(features) == sum(1 for p in expected if p[2])             # every matching project with a place
    assert all(set(f["properties"]) == {"tooltip", "colour"} for f in features)
    chart = _chart_data(at)
    assert len(chart) > 0 and _drawn(chart) == _bars(expected)


def test_timeline_bars_of_projects_still_under_way_reach_the_chosen_period(app_env):
    """Issue 16: a project under construction or suspended past its planned end is listed as active (it runs to
    the release date) and its timeline bar must run that far too, not stop at its planned end."""
    at = open_page("infrastructure", {"from": "2026-11", "to": "2026-12"})
    no_exception(at)
    first, _ = _period(at)
    expected = _matching(app_env, at)
    overdue = [p for p in expected if p[1] in ("under_construction", "suspended") and p[3] is not None]
    assert overdue, "the demo release has projects still under way: the check below means something"
    chart = _chart_data(at)
    assert _drawn(chart) == _bars(expected)
    # every project listed as active in Nov-Dec 2026 has a bar that reaches November 2026
    assert (chart["ends"].dt.date >= first).all(), chart.loc[chart["ends"].dt.date < first, ["name", "ends"]]


def test_distance_and_status_filters_change_the_table(app_env):
    at = open_page("infrastructure")
    everything = len(_matching(app_env, at))
    at.select_slider(key="projects_km").set_value("5").run()
    no_exception(at)
    near = at.dataframe[0].value
    matching_near = len(_matching(app_env, at, 5.0))
    assert len(near) == min(matching_near, 100) and matching_near < everything
    assert (near["distance_to_border_km"] <= 5).all()
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


def test_the_status_figures_equal_an_independent_count(app_env):
    at = open_page("infrastructure", {"within_km": "50"})
    no_exception(at)
    expected = _matching(app_env, at, 50.0)
    figures = {m.label: m.value for m in at.metric}
    for status in ("planned", "under_construction", "completed", "suspended", "cancelled"):
        n = sum(1 for p in expected if p[1] == status)
        assert figures[status.replace("_", " ").capitalize()] == f"{n:,}", status
    _caption(at, rf"projects 1–{min(100, len(expected))} of {len(expected):,}")


def test_a_project_still_under_construction_after_its_planned_end_is_shown(app_env):
    at = open_page("infrastructure", {"from": "2026-10", "to": "2026-10"})
    no_exception(at)
    first, _ = _period(at)
    overdue = query(Path(app_env) / "borderlens.duckdb", """
        select count(*) from infrastructure_projects
        where status = 'under_construction' and actual_end is null and planned_end < ?""", [first])[0][0]
    assert overdue > 0  # the demo has such projects: the check below means something
    expected = _matching(app_env, at)
    figures = {m.label: m.value for m in at.metric}
    n = sum(1 for p in expected if p[1] == "under_construction")
    assert figures["Under construction"] == f"{n:,}"
    assert n >= overdue


def test_pages_show_other_rows_and_together_every_project(app_env):
    at = open_page("infrastructure", {"rows": "250", "sort": "name", **whole_period(app_env)})
    no_exception(at)
    expected = _matching(app_env, at)
    assert len(expected) > 250, "the test release needs more than one page of projects"
    first = at.dataframe[0].value
    names = [str(n).lower() for n in first["name"]]
    assert len(first) == 250 and names == sorted(names)
    seen = list(first["project_id"])
    for page in range(2, -(-len(expected) // 250) + 1):
        at.number_input(key="projects_page").set_value(page).run()
        no_exception(at)
        rows = at.dataframe[0].value
        assert at.query_params["page"] == str(page) and not set(seen) & set(rows["project_id"])
        seen += list(rows["project_id"])
    assert sorted(seen) == sorted(p[0] for p in expected)


@pytest.mark.parametrize("query_, words", [({"page": "two"}, "not a page number"),
                                           ({"sort": "budget"}, "the order of the table"),
                                           ({"rows": "100000"}, "the rows per page")])
def test_bad_page_sort_or_rows_fall_back_with_a_warning(app_env, query_, words):
    at = open_page("infrastructure", query_)
    no_exception(at)
    assert words in warnings_text(at)
    assert at.number_input(key="projects_page").value == 1 and not set(query_) & set(at.query_params)


def test_the_download_holds_every_matching_project(app_env, deferred_downloads):
    made = deferred_downloads
    at = open_page("infrastructure", {"rows": "50", "within_km": "100", **whole_period(app_env)})
    no_exception(at)
    expected = _matching(app_env, at, 100.0)
    assert len(at.dataframe[0].value) == 50 < len(expected)
    label = _caption(at, r"Download all ([\d,]+) rows of this table")
    assert int(label.group(1).replace(",", "")) == len(expected)
    rows = list(csv.DictReader(io.StringIO(made["infrastructure-projects.csv"]().decode("utf-8"), newline="")))
    assert sorted(r["project_id"] for r in rows) == sorted(p[0] for p in expected)
    analysis = {"budget_text": ["budget", "currency", "budget_status"], "funders_text": ["funders", "funders_status"],
                # a date in words ('Jan 1980') is, in the download, the date and how exactly it was published
                **{f"{d}_text": [d, f"{d}_precision"]
                   for d in ("planned_start", "planned_end", "actual_start", "actual_end")}}
    shown = [c for column in at.dataframe[0].value.columns for c in analysis.get(column, [column])]
    assert list(rows[0]) == shown     # numbers as numbers, with their status
    assert [r["project_id"] for r in rows[:50]] == list(at.dataframe[0].value["project_id"])


def test_many_projects_are_counted_per_cell_and_per_year(app_env, monkeypatch):
    """Past the limits the browser gets counts, not projects: grid cells on the map, years on the timeline."""
    import streamlit as st

    from data_pipeline.views import queries_projects

    monkeypatch.setattr(queries_projects, "DETAIL_LIMIT", 10)
    monkeypatch.setattr(queries_projects, "TIMELINE_BARS", 10)
    st.cache_data.clear()
    try:
        at = open_page("infrastructure")
        no_exception(at)
    finally:
        st.cache_data.clear()
    expected = _matching(app_env, at)
    spec = _spec(at)
    assert [layer["id"] for layer in spec["layers"] if not layer["id"].startswith("basemap")] == ["project-cells"]
    cells = next(layer for layer in spec["layers"] if layer["id"] == "project-cells")["data"]
    assert sum(int(re.match(r"([\d,]+) infrastructure project", c["tooltip"]).group(1).replace(",", ""))
               for c in cells) == sum(1 for p in expected if p[2])
    names = set(at.dataframe[0].value["name"].dropna())
    assert not any(name in at.get("deck_gl_json_chart")[0].proto.json for name in names if len(name) > 6)
    _caption(at, r"Counted per [\d.]+° grid cell")
    chart = _chart_data(at)
    years = next(df.value for df in at.dataframe if "year" in df.value.columns)   # the chart's data table
    assert list(years.columns) == ["year", "status_label", "projects"]
    dated = [p for p in expected if p[3] is not None]
    by_year = {}
    for _, _, _, starts, ends in dated:
        for year in range(starts.year, max(starts, ends or starts).year + 1):
            by_year[year] = by_year.get(year, 0) + 1
    assert years.groupby("year")["projects"].sum().to_dict() == by_year
    assert chart.groupby("year")["projects"].sum().to_dict() == by_year      # what the chart itself draws


def test_a_printed_view_that_matches_nothing_keeps_its_closing_lines(app_env):
    """The page ends early (no project matches), the printed view still names its choices and ends with the
    source line (before, st.stop() ended app.py's run too and both were lost)."""
    at = open_page("infrastructure", {"print": "true", "border": "CAN-USA", "status": "cancelled"})
    no_exception(at)
    assert any(i.value.startswith("No project matches") for i in at.info)
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Printed view of: ") for c in captions), captions
    assert sum("borderlens release" in c for c in captions + [m.value for m in at.markdown]) >= 2, captions
