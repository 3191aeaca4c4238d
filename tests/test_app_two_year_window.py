"""The Overview and the Ranking read only the last few years of crossing figures ($months_from, from
sql/app/two_year_start.sql) and learn which series to expect there from the release's crossing_series table, so
that 10M figures are not grouped on every visit. Their answer must be the one the whole history gives: a series
that stopped years ago still counts as missing in a reporter's latest months, a reporter whose latest figures are
outbound ones the neighbour also counts keeps its own two years, gaps stay missing. Each statement is run both
ways on real DuckDB releases (labelled synthetic files in the wide EU layout, and the app tests' shared release).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data_pipeline.views.queries import run
from data_pipeline.views.queries_ranking import two_year_params
from support import query, run_cli, write
from test_app_release import release_dir  # noqa: F401 (fixture)

HEADER = "reporter;crossing_point;crossing_code;neighbour;direction;measure"
POLICY = ('[policy]\nname = "no crossings rule"\n\n[[rule]]\nid = "round"\ndataset = "infrastructure_projects"\n'
          'action = "round_to"\nfields = ["budget"]\nbase = 1000\nreason = "none"\n')


def _months(first: str, last: str) -> list[str]:
    return [str(p) for p in pd.period_range(first, last, freq="M")]


def _wide(rows: list[tuple[str, ...]], months: list[str], gaps: dict[str, set[str]] | None = None) -> str:
    """One line per crossing point x direction, a figure per month (a gap: the publisher's ':' not available)."""
    lines = [";".join([HEADER, *months])]
    for n, row in enumerate(rows):
        cells = [":" if month in (gaps or {}).get(row[2] + row[4], set()) else str(1000 + 37 * n + 11 * i)
                 for i, month in enumerate(months)]
        lines.append(";".join([*row, *cells]))
    return "\n".join(lines) + "\n"


def _release(folder, files: dict[str, str]) -> str:
    work, release = folder / "work.duckdb", folder / "release"
    run_cli("ingest", *[write(folder / name, text) for name, text in files.items()], "--db", work, "--no-progress")
    run_cli("publish", "--db", work, "--policy", write(folder / "policy.toml", POLICY), "--out", release)
    return str(release)


@pytest.fixture(scope="module")
def stopped_release(tmp_path_factory) -> str:
    """FIN stops counting inbound at X-1 after 2021 while everything else runs to 2024 (X-4 with 3 gaps)."""
    stopped = _wide([("FIN", "Alpha", "X-1", "EST", "inbound", "Persons")], _months("2020-01", "2021-12"))
    running = _wide([("EST", "Alpha", "X-1", "FIN", "inbound", "Persons"),
                     ("FIN", "Echo", "X-5", "EST", "inbound", "Persons"),
                     ("EST", "Delta", "X-4", "FIN", "inbound", "Persons")], _months("2020-01", "2024-12"),
                    gaps={"X-4inbound": {"2024-03", "2024-07", "2024-08"}})
    return _release(tmp_path_factory.mktemp("stopped"), {"wide_2020_2021_synthetic.csv": stopped,
                                                         "wide_2020_2024_synthetic.csv": running})


@pytest.fixture(scope="module")
def outbound_tail_release(tmp_path_factory) -> str:
    """After 2022 FIN counts X-1 only outbound, a flow EST counts as inbound: FIN's later figures count twice."""
    early = _wide([("FIN", "Alpha", "X-1", "EST", "outbound", "Persons"),
                   ("FIN", "Alpha", "X-1", "EST", "inbound", "Persons"),
                   ("EST", "Alpha", "X-1", "FIN", "inbound", "Persons")], _months("2020-01", "2022-12"))
    late = _wide([("FIN", "Alpha", "X-1", "EST", "outbound", "Persons"),
                  ("EST", "Alpha", "X-1", "FIN", "inbound", "Persons")], _months("2023-01", "2024-12"))
    return _release(tmp_path_factory.mktemp("tail"), {"wide_2020_2022_synthetic.csv": early,
                                                      "wide_2023_2024_synthetic.csv": late})


def _both_ways(release: str, statement: str, params: dict, by_location: bool) -> tuple[pd.DataFrame, pd.DataFrame, object]:
    windowed = two_year_params(release, params, by_location)
    return (run(release, statement, windowed), run(release, statement, {**params, "months_from": None}),
            windowed["months_from"])


def _params(date_to: dt.date, measures=None) -> dict:
    return {"border_a": None, "border_b": None, "countries": None, "dim_names": None, "dim_codes": None,
            "date_from": dt.date(1990, 1, 1), "date_to": date_to, "measures": measures}


def test_a_series_that_stopped_years_ago_is_still_missing_in_the_window(stopped_release):
    windowed, whole, months_from = _both_ways(stopped_release, "overview_crossings", _params(dt.date(2024, 12, 31)),
                                              by_location=False)
    assert pd.Timestamp(months_from) > pd.Timestamp("2021-12-01")  # the stopped series is before the window
    pd.testing.assert_frame_equal(windowed, whole)
    by_reporter = windowed.set_index("reporter")
    assert by_reporter.loc["FIN", "missing_last"] == 12   # X-1 inbound, every month of FIN's last year
    assert by_reporter.loc["EST", "missing_last"] == 3    # X-4's gaps


def test_the_ranking_of_a_point_with_a_stopped_series_is_the_same(stopped_release):
    windowed, whole, months_from = _both_ways(stopped_release, "crossing_ranking",
                                              _params(dt.date(2024, 12, 31), ["persons"]), by_location=True)
    assert pd.Timestamp(months_from) > pd.Timestamp("2021-12-01")
    pd.testing.assert_frame_equal(windowed, whole)
    assert windowed.set_index("location_id").loc["X-1", "missing_last"] == 12


@pytest.mark.parametrize("date_to", [dt.date(2024, 12, 31), dt.date(2023, 6, 30)])
def test_a_reporter_whose_latest_figures_count_twice_keeps_its_own_two_years(outbound_tail_release, date_to):
    windowed, whole, _ = _both_ways(outbound_tail_release, "overview_crossings", _params(date_to),
                                    by_location=False)
    pd.testing.assert_frame_equal(windowed, whole)
    # FIN's figures after 2022 are all counted by EST too: its own two years end in 2022-12
    assert str(windowed.set_index("reporter").loc["FIN", "latest_month"])[:7] == "2022-12"


@pytest.mark.parametrize("statement, by_location", [("overview_crossings", False), ("crossing_ranking", True)])
def test_the_shared_release_answers_the_same_both_ways(release_dir, statement, by_location):  # noqa: F811
    measures = None if statement == "overview_crossings" else ["persons", "personal_vehicles"]
    windowed, whole, months_from = _both_ways(release_dir, statement, _params(dt.date(2025, 6, 30), measures),
                                              by_location)
    assert months_from is not None and len(windowed) > 3
    pd.testing.assert_frame_equal(windowed, whole)


def _starts(release: str, combos) -> list[tuple]:
    """(combination, start from the series table, start from the figures) for each combination of filters."""
    out = []
    for border, dims, measures, by_location in combos:
        params = {**_params(None, measures), "border_a": border[0] if border else None,
                  "border_b": border[1] if border else None, "dim_names": dims[0] if dims else None,
                  "dim_codes": dims[1] if dims else None, "by_location": by_location}
        series = run(release, "two_year_start_series", params).iloc[0]
        assert bool(series["series_cover"])    # no end date: the series table answers
        out.append(((border, dims, measures, by_location), series["months_from"],
                    run(release, "two_year_start", params)["months_from"].iloc[0]))
    return out


def test_the_series_table_gives_the_month_the_figures_give_when_the_period_ends_after_them(
        release_dir, stopped_release, outbound_tail_release):  # noqa: F811
    borders = [None, ("CAN", "USA"), ("MEX", "USA"), ("FIN", "RUS"), ("EST", "FIN")]
    dims = [None, (["nationality"], ["nationality=SYR"]), (["nationality"], ["nationality=_total"])]
    measures = [None, ["persons"], ["trucks", "personal_vehicles"]]
    combos = [(b, d, m, by) for b in borders for d in dims for m in measures for by in (False, True)]
    checked = _starts(release_dir, combos)
    checked += _starts(stopped_release, [(None, None, None, by) for by in (False, True)])
    checked += _starts(outbound_tail_release, [(None, None, None, by) for by in (False, True)])
    chosen = [combo for combo, s, _ in checked if pd.notna(s)]
    # combinations that choose figures: of a border, of a nationality (Frontex's cube) and a few dozen in all
    assert len(chosen) >= 20 and any(c[0] for c in chosen) and any(c[1] for c in chosen)
    assert [(c, s) for c, s, f in checked if not (s == f or (pd.isna(s) and pd.isna(f)))] == []


def test_a_period_that_ends_before_the_latest_series_month_is_read_from_the_figures(stopped_release):
    series = run(stopped_release, "two_year_start_series", {**_params(dt.date(2024, 11, 30)), "by_location": False})
    assert not bool(series["series_cover"].iloc[0])
    assert bool(run(stopped_release, "two_year_start_series",
                    {**_params(dt.date(2024, 12, 31)), "by_location": False})["series_cover"].iloc[0])


SERIES_COLUMNS = "location_id, country_iso3, neighbor_iso3, direction, coalesce(reporter_iso3, reporter_org), measure"


@pytest.mark.parametrize("table", ["crossings", "crossing_series"])
def test_a_series_key_is_one_number_per_series_of_the_six_columns(release_dir, stopped_release, table):  # noqa: F811
    """The statements group and pair a series' months by series_key alone (sql/release/crossings_series_key.sql): it
    must stand for exactly one combination of the six columns, and each combination for one number, the same in
    the crossings and crossing_series tables."""
    for release in (release_dir, stopped_release):
        db = f"{release}/borderlens.duckdb"
        [(keys, combos, pairs, rows, unkeyed)] = query(db, (
            f"select count(distinct series_key), count(distinct ({SERIES_COLUMNS})), "
            f"count(distinct (series_key, {SERIES_COLUMNS})), count(*), count(*) - count(series_key) from {table}"))
        assert rows > 0 and unkeyed == 0
        assert keys == combos == pairs, (release, table, keys, combos, pairs)
    [(differ,)] = query(f"{release_dir}/borderlens.duckdb", (
        f"select count(*) from (select distinct series_key, {SERIES_COLUMNS} from crossing_series "
        f"except select distinct series_key, {SERIES_COLUMNS} from crossings)"))
    assert differ == 0
