"""The release's crossing_months table (format 4): the crossing figures per series key and month, summed once at
publish so that the pages do not group every figure again at each view. It must say exactly what the figures
say: checked against the crossings table with pandas, and, for every filter the app passes, the stored rows
(macros.stored_figure_months) against the figures summed at query time (macros.figure_months), on the demo
release, a cube whose publisher gives its own totals, and daily figures. Real CLI, real DuckDB releases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from data_pipeline.views.queries import Filters
from data_pipeline.views.queries_trends import trends_view
from data_pipeline.views.release_connections import database
from support import run_cli, write
from test_app_dimensions import NO_RULES, cube_release  # noqa: F401 (fixture)
from test_app_release import release_dir  # noqa: F401 (fixture)

DAILY_PROFILE = """
[profile]
name = "test-daily-crossings"
dataset = "crossings"
title = "Test: persons per day at two crossing points (synthetic)"
publisher = "borderlens tests"
licence = "CC0-1.0"
synthetic = true

[read]
format = "csv"

[dates]
formats = ["%Y-%m-%d"]

[markers]
withheld = ["c"]

[fields]
location_id = { column = "point", prefix = "AUT-" }
location_name = "point"
country_iso3 = { value = "AUT" }
neighbor_iso3 = { column = "neighbour" }
reporter_iso3 = { value = "AUT" }
direction = { value = "inbound" }
period = "day"
period_granularity = { value = "day" }
measure = { value = "persons" }
value = "persons"
"""
# Labelled synthetic: Nickelsdorf (HUN) every few days in March and April 2024, one day withheld, and in March and
# April 2025 (March 2024 is not wholly published, so March 2025 has no like-with-like pair; April has); Spielfeld
# (SVN) in March 2024 only.
DAILY = """point,neighbour,day,persons
Nickelsdorf,HUN,2024-03-01,100
Nickelsdorf,HUN,2024-03-10,110
Nickelsdorf,HUN,2024-03-20,c
Nickelsdorf,HUN,2024-03-31,130
Nickelsdorf,HUN,2024-04-05,140
Nickelsdorf,HUN,2024-04-25,150
Spielfeld,SVN,2024-03-02,20
Spielfeld,SVN,2024-03-18,30
Nickelsdorf,HUN,2025-03-03,105
Nickelsdorf,HUN,2025-03-17,115
Nickelsdorf,HUN,2025-04-07,145
"""
COLUMNS = ["series_key", "period_start", "value", "figures", "published", "withheld", "missing", "last_day"]


@pytest.fixture(scope="module")
def daily_release(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("daily")
    work, release = folder / "work.duckdb", folder / "release"
    run_cli("ingest", write(folder / "daily.csv", DAILY), "--profile", write(folder / "daily.toml", DAILY_PROFILE),
            "--db", work, "--no-progress")
    run_cli("publish", "--db", work, "--policy", write(folder / "policy.toml", NO_RULES), "--out", release)
    return str(release)


@pytest.fixture(scope="module")
def far_release(tmp_path_factory) -> str:
    """The daily figures with two more figures of Nickelsdorf dated 1200 and 9999 (outside the years the app draws
    as time), written into the working database as an older borderlens could have let them in."""
    folder = tmp_path_factory.mktemp("far")
    work, release = folder / "work.duckdb", folder / "release"
    run_cli("ingest", write(folder / "daily.csv", DAILY), "--profile", write(folder / "daily.toml", DAILY_PROFILE),
            "--db", work, "--no-progress")
    con = duckdb.connect(str(work))
    try:
        for i, (day, value) in enumerate([("1200-03-01", 7.0), ("9999-12-01", 11.0)]):
            con.execute("insert into crossing_facts select * replace (?::date as period_start, ?::double as value, "
                        "'reported' as value_status, source_line + 100000 + ? as source_line) from crossing_facts "
                        "where series_id in (select series_id from crossing_series_keys where location_id = ?) "
                        "order by period_start limit 1", [day, value, i, "AUT-Nickelsdorf"])
    finally:
        con.close()
    run_cli("publish", "--db", work, "--policy", write(folder / "policy.toml", NO_RULES), "--out", release)
    return str(release)


def _frame(release: str, statement: str, params: list) -> pd.DataFrame:
    frame = database(release).cursor().execute(statement, params).df()
    return frame[COLUMNS].sort_values(["series_key", "period_start"]).reset_index(drop=True)


def test_the_stored_months_are_the_sums_of_the_figures(release_dir):  # noqa: F811
    """Worked out with pandas from the crossings table: per series key and month, the sum of the published figures
    (none published: empty, never 0) and the counts, for the series without a breakdown (a cube's series are
    checked against hand-made sums below, as the publisher's own totals must not be added to their parts)."""
    con = duckdb.connect(str(Path(release_dir) / "borderlens.duckdb"), read_only=True)
    try:
        rows = con.execute("select series_key, period_start, value, value_status, cardinality(dimensions) > 0 as cube "
                           "from crossings where period_granularity in ('day', 'month')").df()
        stored = con.execute("select * from crossing_months").df()
    finally:
        con.close()
    cube_keys = set(rows.loc[rows["cube"], "series_key"])
    plain = rows[~rows["series_key"].isin(cube_keys)].assign(month=lambda r: pd.to_datetime(r["period_start"]).dt.to_period("M"))
    expected = plain.groupby(["series_key", "month"]).agg(
        value=("value", lambda v: v.sum(min_count=1)), figures=("value", "size"), published=("value", "count"),
        withheld=("value_status", lambda s: int(s.isin(["withheld_by_publisher", "suppressed", "dropped"]).sum())),
        missing=("value_status", lambda s: int((s == "missing").sum()))).reset_index()
    got = stored[~stored["series_key"].isin(cube_keys)].assign(
        month=lambda r: pd.to_datetime(r["period_start"]).dt.to_period("M"))
    assert len(expected) > 1000 and expected["withheld"].sum() > 0 and expected["value"].isna().sum() > 0
    merged = expected.merge(got, on=["series_key", "month"], how="outer", suffixes=("", "_stored"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"].head()
    for column in ("figures", "published", "withheld", "missing"):
        assert (merged[column] == merged[f"{column}_stored"]).all(), column
    assert merged["value"].isna().equals(merged["value_stored"].isna())
    assert merged["value"].fillna(0).to_numpy() == pytest.approx(merged["value_stored"].fillna(0).to_numpy())


FILTERS = [  # border_a, border_b, countries, measures, location, first_month, last_month, months_from
    (None, None, None, None, None, None, None, None),
    ("MEX", "USA", None, None, None, None, None, None),
    (None, None, ["POL", "HUN"], ["persons", "trucks"], None, None, None, None),
    (None, None, None, None, "USA-2504", dt.date(2024, 1, 1), dt.date(2024, 6, 30), None),
    (None, None, None, ["persons"], None, None, dt.date(2024, 3, 31), dt.date(2024, 3, 1)),
    ("AUT", "HUN", ["AUT"], None, None, dt.date(2024, 3, 1), dt.date(2024, 4, 30), None),
]


@pytest.mark.parametrize("which", ["release_dir", "cube_release", "daily_release"])
@pytest.mark.parametrize("chosen", FILTERS)
def test_the_stored_months_answer_every_filter_as_the_figures_do(request, which, chosen):
    """Every filter on the stored rows is one on a whole series, so filtering the stored sums gives what summing
    the filtered figures gives (a publisher's total standing for its parts, a month's days all in or out)."""
    release = request.getfixturevalue(which)
    border_a, border_b, countries, measures, location, first, last, since = chosen
    stored = _frame(release, "select * from macros.stored_figure_months(?, ?, ?, ?, ?, ?, ?, ?)",
                    [border_a, border_b, countries, measures, location, first, last, since])
    summed = _frame(release, "select * from macros.figure_months(?, ?, ?, null, null, ?, ?, ?, ?, ?)",
                    [border_a, border_b, countries, measures, location, first, last, since])
    pd.testing.assert_frame_equal(stored, summed, check_dtype=False)


def test_the_store_is_read_for_whole_months_only(daily_release):
    """A period that ends within a month counts that month's days up to its end (summed from the figures, not
    read from the whole month stored); a period of whole months reads the store. Figures worked out by hand."""
    def march(last_day: int) -> float:
        view = trends_view(daily_release, Filters(date_from=dt.date(2024, 3, 1), date_to=dt.date(2024, 3, last_day)),
                           "persons", "month", "total", "all", "")
        return float(view.series.set_index("period")["value"].iloc[0])

    assert march(31) == 100 + 110 + 130 + 20 + 30   # the withheld day is not counted, not as 0 either
    assert march(15) == 100 + 110 + 20
    assert march(18) == 100 + 110 + 20 + 30


COVERED = [  # border_a, border_b, countries, dim_names, dim_codes, measures, location, first_month, last_month, months_from
    (None, None, None, None, None, None, None, None, None, None),                       # the store
    ("BLR", "POL", None, None, None, ["persons"], None, dt.date(2023, 1, 1), dt.date(2024, 6, 30), None),
    (None, None, ["MEX"], None, None, None, None, None, dt.date(2024, 6, 15), None),       # within a month: summed
    (None, None, None, None, None, None, None, None, None, dt.date(2023, 7, 1)),
    (None, None, None, ["nationality"], ["nationality=SYR"], None, None, None, None, None),  # a dimension: summed
    (None, None, ["AUT"], None, None, None, None, None, dt.date(2025, 4, 20), None),        # days: summed
]


@pytest.mark.parametrize("which", ["release_dir", "cube_release", "daily_release"])
@pytest.mark.parametrize("chosen", COVERED)
def test_each_flow_is_counted_once_as_matching_every_row_counts_it(request, which, chosen):
    """covered_crossings says which rows are the outbound side of a flow the other side counts inbound
    (mirrored_outbound: stored in crossing_months at publish, found by the macro for the sums it makes and for the
    months without figures); leaving those out keeps exactly the rows macros.inbound_first keeps when it matches
    every row against every other."""
    release = request.getfixturevalue(which)
    source = "with source as materialized (select * from macros.covered_crossings(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)) "
    con = database(release).cursor()
    flagged = con.execute(source + "select * exclude (mirrored_outbound) from source where not mirrored_outbound",
                          list(chosen)).df()
    matched = con.execute(source + ", unflagged as (select * exclude (mirrored_outbound) from source) "
                          "select * from macros.inbound_first('unflagged')", list(chosen)).df()
    left_out = con.execute(source + "select absent, count(*) from source where mirrored_outbound group by all",
                           list(chosen)).fetchall()
    order = ["series_key", "period_start", "absent"]
    pd.testing.assert_frame_equal(flagged.sort_values(order).reset_index(drop=True),
                                  matched.sort_values(order).reset_index(drop=True))
    if which == "release_dir" and chosen in (COVERED[0], COVERED[2]):   # the store and sums made by the macro: the
        # demo's mirrored flows, in months with figures and without
        assert {absent for absent, _ in left_out} == {False, True}, left_out


@pytest.mark.parametrize("which", ["release_dir", "cube_release", "daily_release"])
@pytest.mark.parametrize("chosen", COVERED)
def test_each_month_is_paired_with_the_same_figure_a_year_earlier_as_matching_pairs_it(request, which, chosen):
    """covered_crossings' paired_year_before (stored in crossing_months at publish, found by the macro for the sums
    it makes), from which the Overview, Ranking and Trends compare like with like: the same key's value 12 months
    earlier, where that month is in the rows, wholly published and not a mirrored outbound month; empty otherwise.
    Worked out here with pandas from the rows themselves."""
    release = request.getfixturevalue(which)
    rows = database(release).cursor().execute(
        "select series_key, period_start, value, figures, published, absent, mirrored_outbound, paired_year_before "
        "from macros.covered_crossings(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", list(chosen)).df()
    rows["period_start"] = pd.to_datetime(rows["period_start"])
    pairable = rows[~rows["absent"] & (rows["published"] == rows["figures"]) & ~rows["mirrored_outbound"]]
    earlier = pairable.assign(period_start=pairable["period_start"] + pd.DateOffset(months=12))
    expected = rows.merge(earlier[["series_key", "period_start", "value"]].rename(columns={"value": "expected"}),
                          on=["series_key", "period_start"], how="left")
    assert len(expected) == len(rows)
    got, want = expected["paired_year_before"], expected["expected"].where(~expected["absent"])
    assert got.isna().equals(want.isna())
    assert got.fillna(0).to_numpy() == pytest.approx(want.fillna(0).to_numpy())
    if which == "release_dir" and chosen in (COVERED[0], COVERED[2]):   # the store, and sums made by the macro
        assert got.notna().sum() > 100
    if which == "daily_release" and chosen[3] is None and chosen[8] is None:
        # Nickelsdorf: April 2025 pairs with April 2024; March 2025 does not (a day of March 2024 is withheld)
        paired = expected[expected["paired_year_before"].notna()]
        assert set(paired["period_start"].dt.strftime("%Y-%m")) == {"2025-04"}
        assert paired["paired_year_before"].tolist() == [140 + 150]


LOCATION_FILTERS = [  # border_a, border_b, countries, dim_names, dim_codes
    (None, None, None, None, None),
    ("MEX", "USA", None, None, None),
    (None, None, ["FIN", "AUT"], None, None),
    (None, None, None, ["nationality"], ["nationality=SYR"]),
]


def location_totals(release: str, chosen: tuple, measures: list) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Trends page's crossing points, largest first (sql/app/trends_locations.sql, from the release's series
    sums), and the same worked out by summing every figure as crossings_near counts them."""
    from data_pipeline.views.queries import run

    border_a, border_b, countries, dim_names, dim_codes = chosen
    found = run(release, "trends_locations", {"border_a": border_a, "border_b": border_b, "countries": countries,
                                              "dim_names": dim_names, "dim_codes": dim_codes, "measures": measures})
    summed = database(release).cursor().execute(
        "select location_id, sum(value) as total from macros.crossings_near(?, ?, ?, ?, ?) "
        "where list_contains(?, measure) group by location_id order by total desc nulls last, location_id",
        [border_a, border_b, countries, dim_names, dim_codes, measures]).df()
    return found, summed


@pytest.mark.parametrize("which", ["release_dir", "cube_release", "daily_release", "far_release"])
@pytest.mark.parametrize("chosen", LOCATION_FILTERS)
def test_the_crossing_points_are_ordered_by_the_sums_of_their_figures(request, which, chosen):
    """The stored per-series sums (crossing_series.counted_value: a publisher's total standing for its parts) and the
    figures dated outside the charted years give each crossing point the total that summing its figures gives, in
    the same order."""
    release = request.getfixturevalue(which)
    measures = [m for (m,) in database(release).cursor().execute("select distinct measure from crossing_series")
                .fetchall()]
    found, summed = location_totals(release, chosen, measures)
    assert list(found["location_id"]) == list(summed["location_id"])
    assert found["total"].isna().equals(summed["total"].isna())
    assert found["total"].fillna(0).to_numpy() == pytest.approx(summed["total"].fillna(0).to_numpy())
    if which == "cube_release" and chosen == LOCATION_FILTERS[0]:   # a publisher's own totals and their parts
        assert len(found) > 0
    if which == "far_release" and chosen == LOCATION_FILTERS[0]:   # the far-dated figures are counted
        totals = dict(zip(found["location_id"], found["total"]))
        assert totals["AUT-Nickelsdorf"] == 100 + 110 + 130 + 140 + 150 + 105 + 115 + 145 + 7 + 11


def _reporter_month_params(release: str) -> list[tuple]:
    """Filters as the Overview and Trends pass them to macros.reporter_month_sums (border_a, border_b, countries,
    dim_names, dim_codes, measures, location, first_month, last_month, months_from): the first four only filter the
    measures and do not cut the release's months (read from crossing_reporter_months), the others do (summed)."""
    con = database(release).cursor()
    months = [row[0] for row in con.execute("select distinct period_start from crossing_reporter_months "
                                            "order by period_start").fetchall()]
    measure = con.execute("select measure from crossing_reporter_months group by measure "
                          "order by count(*) filter (where not absent) desc, measure limit 1").fetchone()[0]
    end = (pd.Timestamp(months[-1]) + pd.offsets.MonthEnd(0)).date()
    middle = months[len(months) // 2]
    none = (None,) * 10
    return [none,
            none[:5] + ([measure],) + none[6:],
            none[:8] + (end, middle),
            none[:8] + ((pd.Timestamp(end) + pd.DateOffset(months=13) + pd.offsets.MonthEnd(0)).date(), None),
            none[:8] + (end + dt.timedelta(days=1), middle),                     # not a month's last day
            none[:8] + ((pd.Timestamp(middle) + pd.offsets.MonthEnd(0)).date(), None),   # cuts the months
            none[:7] + (middle, None, None),
            ("MEX", "USA") + none[2:],
            none[:3] + (["nationality"], ["nationality=SYR"]) + none[5:]]


def _summed_with_pandas(rows: pd.DataFrame) -> pd.DataFrame:
    """covered_crossings' rows (each flow once) summed per reporter, measure and month as the Overview and Trends
    read them: sums over no published figure empty; each month's latest complete month over its rows with figures
    (a daily series whose last day is before the month's end: the month before); the like-with-like pairs."""
    rows = rows.assign(period_start=pd.to_datetime(rows["period_start"]), last_day=pd.to_datetime(rows["last_day"]))
    month_end = rows["period_start"] + pd.offsets.MonthEnd(0)
    complete = (rows["last_day"] == rows["period_start"]) | (rows["last_day"] == month_end)
    rows["complete_month"] = rows["period_start"].where(complete, rows["period_start"] - pd.DateOffset(months=1))
    rows.loc[rows["absent"], "complete_month"] = pd.NaT
    paired = (rows["published"] == rows["figures"]) & rows["paired_year_before"].notna()
    rows["value_paired"] = rows["value"].where(paired)
    rows["value_before_paired"] = rows["paired_year_before"].where(paired)
    rows["figures_paired"] = paired.astype("int64")
    grouped = rows.groupby(["reporter", "measure", "period_start"], dropna=False)
    summed = grouped.agg(figures=("figures", "sum"), published=("published", "sum"), withheld=("withheld", "sum"),
                         missing=("missing", "sum"), absent=("absent", "all"), complete_month=("complete_month", "max"),
                         figures_paired=("figures_paired", "sum"))
    for column in ("value", "value_paired", "value_before_paired"):
        summed[column] = grouped[column].sum(min_count=1)
    return summed.reset_index()


@pytest.mark.parametrize("which", ["release_dir", "cube_release", "daily_release", "far_release"])
def test_the_reporter_months_are_the_flows_summed(request, which):
    """macros.reporter_month_sums, which the Overview's crossings and Trends' same months of earlier years read:
    from the release's crossing_reporter_months (made once at publish) where only the measures are filtered and the
    months are not cut, summed at the view otherwise; either way equal to covered_crossings' rows of each flow
    summed with pandas, under filters of both kinds."""
    release = request.getfixturevalue(which)
    con = database(release).cursor()
    order = ["reporter", "measure", "period_start"]
    stored_used = []
    for chosen in _reporter_month_params(release):
        rows = con.execute("select * from macros.covered_crossings(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                           "where not mirrored_outbound", list(chosen)).df()
        want = _summed_with_pandas(rows).sort_values(order).reset_index(drop=True)
        got = con.execute("select * from macros.reporter_month_sums(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", list(chosen)).df()
        got = got.assign(period_start=pd.to_datetime(got["period_start"]),
                         complete_month=pd.to_datetime(got["complete_month"]))
        got = got[want.columns].sort_values(order).reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want, check_dtype=False, obj=str(chosen))
        stored_used.append(con.execute("select macros.reporter_months_stored(?, ?, ?, ?, ?, ?, ?)",
                                       [chosen[i] for i in (0, 2, 3, 6, 7, 8, 9)]).fetchone()[0])
        if which == "release_dir" and chosen[5] is None and chosen[0] is None:   # the demo: missing months counted
            assert want["missing"].sum() > 0 and want["figures_paired"].sum() > 0
    # read from the table where it may, summed otherwise (the fifth, the middle month's end, cuts the months unless
    # that month is the release's last)
    assert stored_used[:5] == [True, True, True, True, False] and stored_used[6:] == [False, False, False]


def test_the_overview_reads_the_stored_sums_as_it_sums_the_figures(release_dir):  # noqa: F811
    """The Overview's crossings statement on its default period (to the release's last day: crossing_reporter_months)
    and to the day after (not a month's last day: every figure summed at the view) gives the same table."""
    from data_pipeline.views.queries import run
    from data_pipeline.views.queries_ranking import two_year_params

    last = database(release_dir).cursor().execute(
        "select last_day(max(period_start)) from crossing_reporter_months").fetchone()[0]
    tables = []
    for date_to in (last, last + dt.timedelta(days=1)):
        params = {**Filters(date_from=dt.date(1900, 1, 1), date_to=date_to).params(), "measures": None}
        tables.append(run(release_dir, "overview_crossings", two_year_params(release_dir, params, by_location=False)))
    assert len(tables[0]) > 3 and tables[0]["missing_last"].sum() > 0
    pd.testing.assert_frame_equal(tables[0], tables[1])


@pytest.mark.parametrize("which", ["release_dir", "cube_release", "daily_release", "far_release"])
def test_the_stored_rankings_are_the_rankings_worked_out(request, which):
    """The release's crossing_rankings (the Ranking's default answer for each measure choice, made at publish) equal
    the Ranking's statement worked out on the release for the same choice, to the release's last day and to a day
    long after it (either reads the stored answer); ranked_points reads them in the default view only."""
    from data_pipeline.datasets import PEOPLE_MEASURES
    from data_pipeline.views.queries import run
    from data_pipeline.views.queries_ranking import ranked_points, two_year_params

    con = database(request.getfixturevalue(which)).cursor()
    release = request.getfixturevalue(which)
    measures = [row[0] for row in con.execute("select distinct measure from crossing_months order by 1").fetchall()]
    choices = [[m] for m in measures] + [list(PEOPLE_MEASURES)]
    last = con.execute("select last_day(max(charted_to)) from crossing_series").fetchone()[0]
    stored_choices = 0
    for measures_chosen in choices:
        for date_to in (last, last + dt.timedelta(days=4000)):
            params = two_year_params(release, {**Filters(date_from=dt.date(1900, 1, 1), date_to=date_to).params(),
                                               "measures": measures_chosen}, by_location=True)
            assert params["series_cover"]
            worked_out = run(release, "crossing_ranking", params)
            stored = run(release, "crossing_ranking_stored", params)
            if len(worked_out) == 0:
                assert len(stored) == 0
                continue
            stored_choices += date_to == last
            pd.testing.assert_frame_equal(stored, worked_out, check_dtype=False, obj=str(measures_chosen))
            pd.testing.assert_frame_equal(ranked_points(release, params), stored)
        filtered = two_year_params(release, {**Filters(countries=("USA",), date_from=dt.date(1900, 1, 1),
                                                       date_to=last).params(), "measures": measures_chosen},
                                   by_location=True)
        pd.testing.assert_frame_equal(ranked_points(release, filtered), run(release, "crossing_ranking", filtered))
    assert stored_choices >= 1 and stored_choices == con.execute(
        "select count(distinct measures) from crossing_rankings").fetchone()[0]
