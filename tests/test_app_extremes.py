"""No value in a release crashes a page: a release holding extreme dates and numbers renders every page and view.

The release is built on the real path: `borderlens ingest` of the demo data, then extreme values are written into
the working database with SQL (as a profile with a wide window, or an older borderlens, would have let them in),
then `borderlens publish`. Dates: 6 BC, year 0 (1 BC, what 'Jan 0000' parses to), 1200, 9999 and 12345; numbers:
1e308, the largest double, inf, NaN and a troop count at the largest BIGINT. Every page (Overview and each file
in pages/) is run in AppTest in the normal, printable (?print=true) and embedded (is_embedded) views.
"""

from __future__ import annotations

import collections
import re
from pathlib import Path

import duckdb
import pytest

from support import REPO, SAMPLE, run_cli
from test_app_release import no_exception, open_page, serve_in_apptest
from test_crossing_months import location_totals

FAR_DATES = ["0006-01-01 (BC)", "0001-01-01 (BC)", "1200-01-01", "9999-12-01", "12345-06-01"]
HUGE = [1e308, 1.7976931348623157e308, float("inf"), float("nan")]
PORT = "USA-0901"   # a BTS port of the demo data with pedestrian figures
PAGES = [None, *sorted(p.stem for p in (REPO / "pages").glob("*.py"))]
QUERY = {"trends": {"port": PORT, "measure": "pedestrians"}, "notices": {"notice": "EXTREME-0"},
         "map": {"layers": "crossings,notices,projects"}}
SHOWN_AS_NUMBER = re.compile(r"(?<![A-Za-z])(inf|infinity|nan|-?∞)(?![A-Za-z])", re.IGNORECASE)


def _inject(db: Path) -> None:
    """Extreme rows beside real ones: copies of a demo row with the dates or figures replaced."""
    con = duckdb.connect(str(db))
    try:
        # the port's pedestrian series, written to as the cube stores figures (crossing_facts by series id)
        series = ("select series_id from crossing_series_keys where location_id = ? and measure = 'pedestrians'")
        copy = ("insert into crossing_facts select * replace (?::date as period_start, ?::double as value, "
                "'reported' as value_status, source_line + 100000 + ? as source_line) from crossing_facts "
                f"where series_id in ({series} and direction = 'inbound') order by period_start desc limit 1")
        for i, day in enumerate(FAR_DATES):
            con.execute(copy, [day, 5000.0, i, PORT])
        for i, value in enumerate(HUGE):
            con.execute(copy, [f"2024-{i + 1:02d}-01", value, 50 + i, PORT])
        con.execute(f"delete from crossing_facts where series_id in ({series}) and period_start between "
                    "date '2024-01-01' and date '2024-04-30' and source_line < 100000", [PORT])
        # a year before the 1e308 figure, a figure of 10 (the smallest the demo policy publishes): the change on a
        # year earlier overflows
        con.execute(f"update crossing_facts set value = 10, value_status = 'reported' where series_id in ({series}) "
                    "and period_start = date '2023-01-01'", [PORT])
        notice = ("insert into exercise_notices select * replace (? as notice_id, ?::date as notified_on, "
                  "?::date as start_date, ?::date as end_date, ?::bigint as troops, 'reported' as troops_status, "
                  "source_line + 100000 + ? as source_line) from exercise_notices order by start_date limit 1")
        for i, row in enumerate([("0001-01-01 (BC)", "0001-01-01 (BC)", "12345-01-01", 9223372036854775807),
                                 ("1200-01-01", "1200-02-01", "1200-03-01", 1),
                                 ("0006-01-01 (BC)", "1200-01-01", "9999-12-31", 0)]):
            con.execute(notice, [f"EXTREME-{i}", *row, i])
        project = ("insert into infrastructure_projects select * replace (? as project_id, ?::date as planned_start, "
                   "?::date as planned_end, ?::date as actual_start, ?::date as actual_end, ?::double as budget, "
                   "'reported' as budget_status, source_line + 100000 + ? as source_line) "
                   "from infrastructure_projects order by project_id limit 1")
        for i, row in enumerate([("0001-01-01 (BC)", "12345-01-01", "1200-01-01", None, 1e308),
                                 ("1200-01-01", "9999-12-31", None, None, float("inf")),
                                 ("0006-01-01 (BC)", "1200-01-01", "0001-01-01 (BC)", "12345-01-01",
                                  1.7976931348623157e308),
                                 # drawn (it ran 2020-2021), but its planned dates are far off
                                 ("0001-01-01 (BC)", "12345-01-01", "2020-01-01", "2021-01-01", 5e6)]):
            con.execute(project, [f"EXTREME-P-{i}", *row, i])
    finally:
        con.close()


@pytest.fixture(scope="module")
def extreme_release(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("extremes")
    work, release = folder / "work.duckdb", folder / "release"
    run_cli("ingest", SAMPLE / "crossings", SAMPLE / "notices", SAMPLE / "projects", "--db", work, "--no-progress")
    _inject(work)
    run_cli("publish", "--db", work, "--policy", SAMPLE / "policy.toml", "--out", release)
    return release


@pytest.fixture
def extreme_env(extreme_release, monkeypatch):
    """AppTest on the extreme release, run as the real server runs it (test_app_release.serve_in_apptest)."""
    serve_in_apptest(monkeypatch, extreme_release)
    return extreme_release


def test_the_release_holds_the_extreme_values(extreme_release):
    con = duckdb.connect(str(extreme_release / "borderlens.duckdb"), read_only=True)
    try:
        years = {r[0] for r in con.execute("select year(period_start) from crossings where location_id = ?",
                                           [PORT]).fetchall()}
        assert {-5, 0, 1200, 9999, 12345} <= years
        values = [r[0] for r in con.execute("select value from crossings where location_id = ? and (value > 1e300 "
                                            "or isnan(value))", [PORT]).fetchall()]
        assert len(values) == len(HUGE), values
        notices = con.execute("select count(*) from exercise_notices where notice_id like 'EXTREME-%'").fetchall()
        projects = con.execute("select count(*) from infrastructure_projects where project_id like 'EXTREME-P-%'")
        assert notices == [(3,)] and projects.fetchall() == [(4,)]
    finally:
        con.close()


def test_the_sidebar_lists_count_every_crossing_figure_far_dates_too(extreme_release):
    """The sidebar's borders, countries, measures and dimension codes, and the Overview's withheld counts, are read
    from the release's series table plus the figures dated outside the charted years (which that table leaves out):
    the same as from every crossing row."""
    from data_pipeline.views.queries import filter_options, run

    con = duckdb.connect(str(extreme_release / "borderlens.duckdb"), read_only=True)
    try:
        rows = con.execute("select country_iso3, neighbor_iso3 from crossings").df()
        codes = con.execute("select e.key as dimension, e.value as code, count(*) as figures from "
                            "(select unnest(map_entries(dimensions)) as e from crossings) where e.value <> '_total' "
                            "group by all").fetchall()
        others = {r[0] for r in con.execute("select notifying_iso3 from exercise_notices union "
                                            "select country_iso3 from infrastructure_projects").fetchall()}
        measures = con.execute("select measure, count(*), bool_or(coalesce(place_kind, 'crossing_point') = "
                               "'crossing_point') from crossings group by all").fetchall()
        statuses = con.execute("select value_status, count(*) from crossings group by all").fetchall()
    finally:
        con.close()
    sides = rows[rows["neighbor_iso3"].notna() & (rows["neighbor_iso3"] != rows["country_iso3"])]
    pairs = ["-".join(sorted(pair)) for pair in zip(sides["country_iso3"], sides["neighbor_iso3"])]
    expected = {border: n for border, n in collections.Counter(pairs).items()}
    options = filter_options(str(extreme_release))
    found = {b: int(n) for b, n in zip(options.borders["border"], options.borders["crossings"]) if n > 0}
    assert found == expected
    assert sum(expected.values()) > 0
    # the country list and the dimensions' codes, read the same way
    countries = {c for c in set(rows["country_iso3"]) | set(rows["neighbor_iso3"]) | others if isinstance(c, str)}
    assert set(options.countries["iso3"]) == countries
    dimensions = options.dimensions
    assert {(d, c, int(n)) for d, c, n in zip(dimensions["dimension"], dimensions["code"],
                                              dimensions["figures"])} == set(codes)
    assert codes
    measure_rows = run(str(extreme_release), "filter_measures")
    found = zip(measure_rows["measure"], measure_rows["figures"], measure_rows["at_crossing_points"])
    assert {(m, int(n), bool(at)) for m, n, at in found} == set(measures)
    withheld = run(str(extreme_release), "overview_withheld")
    crossings = withheld[withheld["dataset"] == "crossings"]
    assert {(s, int(n)) for s, n in zip(crossings["status"], crossings["n"])} == set(statuses)
    # the Trends page's crossing points (their sums: inf, nan) as every figure sums them
    found, summed = location_totals(str(extreme_release), (None, None, None, None, None), [m for m, _, _ in measures])
    assert list(found["location_id"]) == list(summed["location_id"])
    assert found["total"].astype(str).tolist() == summed["total"].astype(str).tolist()


def _run(page: str | None, view: str):
    query = {**QUERY.get(page or "", {}), **({"print": "true"} if view == "print" else {})}
    return open_page(page, query, embedded=view == "embed")


def _texts(at) -> list[str]:
    """What a reader sees as text: titles, markdown, captions, metrics, warnings and printed tables."""
    found = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "warning", "info")
             for e in getattr(at, kind)]
    found += [f"{m.label} {m.value} {m.delta}" for m in at.metric]
    found += [t.value.to_string() for t in at.table]
    return found


def _chart_tables(at) -> list:
    """The data of every chart on the page, as the browser gets it (Arrow tables beside the Vega-Lite spec)."""
    import pyarrow as pa

    tables = []
    for chart in at.get("vega_lite_chart"):
        datasets = [d.data.data for d in chart.proto.datasets] + ([chart.proto.data.data] if chart.proto.data.data
                                                                 else [])
        tables += [pa.ipc.open_stream(data).read_all() for data in datasets]
    return tables


def _drawn(tables) -> tuple[set[int], list[str]]:
    """The years of every date in the charts' data, and the columns holding an infinite value."""
    import pyarrow as pa
    import pyarrow.compute as pc

    years, not_finite = set(), []
    for table in tables:
        for name, column in zip(table.column_names, table.columns):
            if pa.types.is_timestamp(column.type) or pa.types.is_date(column.type):
                years |= {y for y in pc.year(column).to_pylist() if y is not None}
            elif name == "year":   # a chart by calendar year (the year as a number or as text)
                years |= {int(y) for y in column.to_pylist() if y is not None}
            elif pa.types.is_floating(column.type) and pc.any(pc.is_inf(column)).as_py():   # NaN: missing
                not_finite.append(name)
    return years, not_finite


@pytest.mark.parametrize("view", ["normal", "print", "embed"])
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p or "overview")
def test_every_page_renders_on_extreme_values(extreme_env, page, view):
    at = _run(page, view)
    no_exception(at)
    # a page draws its title; an embedded view instead a one-line heading (an h4) above its chart or map
    assert at.title or (view == "embed" and any(m.value.startswith("#### ") for m in at.markdown)), \
        "the page drew nothing"
    shown = [t for t in _texts(at) if SHOWN_AS_NUMBER.search(t)]
    assert not shown, f"a figure shown as inf or nan: {shown[:3]}"
    tables = _chart_tables(at)
    if page in ("trends", "notices", "infrastructure") and view != "embed":
        assert tables, "the page's charts got no data: nothing was checked"
    years, not_finite = _drawn(tables)
    assert all(1900 <= y <= 2199 for y in years), f"a chart draws years {sorted(years)}"
    assert not not_finite, f"a chart gets infinite values in {not_finite}"
    for deck in at.get("deck_gl_json_chart"):
        assert not re.search(r"\b(Infinity|NaN)\b", deck.proto.json)


@pytest.mark.parametrize("query", [{"grain": "year"}, {"grain": "quarter", "by": "location"}, {"by": "reporter"},
                                   {"by": "measure", "port": "all"}])
def test_every_trends_view_renders_on_extreme_values(extreme_env, query):
    at = open_page("trends", {**QUERY["trends"], **query})
    no_exception(at)
    assert not [t for t in _texts(at) if SHOWN_AS_NUMBER.search(t)]
    years, not_finite = _drawn(_chart_tables(at))
    assert years and all(1900 <= y <= 2199 for y in years) and not not_finite, (sorted(years), not_finite)


def test_a_far_date_is_shown_as_text_in_the_notice_detail(extreme_env):
    at = _run("notices", "normal")
    no_exception(at)
    detail = at.dataframe[-1].value if at.dataframe else None
    text = detail.to_string() if detail is not None else ""
    assert "0000-01-01" in text and "12345-01-01" in text, text
