"""Conflicting figures (issue 11, point 8): every row of a key whose rows disagree is quarantined as
conflicting_duplicate, so the figure is absent; the release counts such figures per source, measure and period
(never their values) and the trends page says, for the measure and period shown, how many are withheld and why.
Real CLI, real DuckDB files, the real page through Streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import SAMPLE, query, run_cli, write
from test_app_release import app_env, no_exception, open_page  # noqa: F401

HEADER = "Port Name,State,Port Code,Border,Date,Measure,Value\n"
ROWS = [
    "Jackman,Maine,0104,US-Canada Border,Jan 2024,Trucks,6556",
    "Calais,Maine,0115,US-Canada Border,Jan 2024,Trucks,4911",
    "Calais,Maine,0115,US-Canada Border,Jan 2024,Trucks,4119",          # conflicts with the line above
    "Houlton,Maine,0106,US-Canada Border,Feb 2024,Trucks,31017",
    "Houlton,Maine,0106,US-Canada Border,Feb 2024,Trucks,13017",        # conflicts
    "Houlton,Maine,0106,US-Canada Border,Feb 2024,Trucks,31017",        # and so does its repeat
    "Madawaska,Maine,0109,US-Canada Border,Feb 2024,Pedestrians,56",
    "Madawaska,Maine,0109,US-Canada Border,Feb 2024,Pedestrians,65",    # conflicts
    "Eastport,Maine,0103,US-Canada Border,Feb 2024,Trucks,151",
    "Eastport,Maine,0103,US-Canada Border,Feb 2024,Trucks,151",         # an exact repeat: loaded once
]
CONFLICTING_VALUES = {4911, 4119, 31017, 13017, 56, 65}


def _build(folder: Path) -> tuple[Path, Path]:
    data = write(folder / "crossings.csv", HEADER + "\n".join(ROWS) + "\n")
    work, release = folder / "work.duckdb", folder / "release"
    run_cli("ingest", data, "--db", work, "--no-progress")
    run_cli("publish", "--db", work, "--policy", SAMPLE / "policy.toml", "--out", release,
            env={"BORDERLENS_PUBLISH_DATE": "2025-06-01"})
    return work, release


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    return _build(tmp_path_factory.mktemp("conflicting"))


@pytest.fixture(scope="module")
def release_dir(built) -> str:  # the release app_env serves
    return str(built[1])


def test_the_working_database_keeps_the_keys_and_the_release_counts_them(built):
    work, release = built
    assert query(work, "select location_id, period_start::varchar, measure, rows_conflicting "
                       "from conflicting_figures order by 1, 2") == \
        [("USA-0106", "2024-02-01", "trucks", 3), ("USA-0109", "2024-02-01", "pedestrians", 2),
         ("USA-0115", "2024-01-01", "trucks", 2)]
    db = release / "borderlens.duckdb"
    [(public_id,)] = query(db, "select source_id from sources")
    assert query(db, "select * from conflicting_figures order by measure, period_start") == [
        (public_id, "crossings", "pedestrians", _date("2024-02-01"), "month", 1),
        (public_id, "crossings", "trucks", _date("2024-01-01"), "month", 1),
        (public_id, "crossings", "trucks", _date("2024-02-01"), "month", 1)]
    # never the values, and never where: the table has counts only
    columns = [c for (c,) in query(db, "select column_name from information_schema.columns "
                                       "where table_name = 'conflicting_figures'")]
    assert columns == ["source_id", "dataset", "measure", "period_start", "period_granularity", "figures"]
    published = {v for (v,) in query(db, "select value from crossings where value is not null")}
    assert not published & CONFLICTING_VALUES and query(db, "select count(*) from crossings") == [(2,)]


def test_trends_view_counts_them_for_the_measure_and_period_shown(built):
    from data_pipeline.views.queries import Filters
    from data_pipeline.views.queries_trends import conflicting_words, trends_view

    release = str(built[1])

    def count(measure: str, date_from: str, date_to: str) -> tuple[int, str]:
        view = trends_view(release, Filters(date_from=_date(date_from), date_to=_date(date_to)), measure, "month",
                           "total", "all")
        return view.conflicting, view.conflicting_publishers

    assert count("trucks", "2024-01-01", "2024-02-29") == (2, "US Bureau of Transportation Statistics (BTS)")
    assert count("trucks", "2024-02-01", "2024-02-29")[0] == 1
    assert count("pedestrians", "2024-01-01", "2024-02-29")[0] == 1
    assert count("pedestrians", "2024-01-01", "2024-01-31")[0] == 0
    words = conflicting_words(2, "BTS", "trucks")
    assert words.startswith("2 figures of trucks in the period shown are withheld from this release because the "
                            "publisher (BTS) gave conflicting values for them")


def test_the_trends_page_says_how_many_figures_conflict(app_env):
    at = open_page("trends", {"measure": "trucks", "from": "2024-01", "to": "2024-02"})
    no_exception(at)
    notes = [i.value for i in at.info]
    assert any(n.startswith("2 figures of trucks in the period shown are withheld") for n in notes), notes
    at = open_page("trends", {"measure": "trucks", "from": "2024-01", "to": "2024-01"})
    assert any(n.startswith("1 figure of trucks in the period shown is withheld") for n in [i.value for i in at.info])


def _date(text: str):
    from datetime import date

    return date.fromisoformat(text)
