"""Infrastructure projects with an unknown day or month (issue 11, point 2, for projects): '1980-01-xx' loads as the
first day of its month with a precision per date field, a period's end is compared with its start at the coarser
precision, and the release and the Infrastructure page write 'Jan 1980', never a day; through the real CLI on real
DuckDB files, and an older database takes migration 012."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from data_pipeline.db import migrations
from cube_support import ingest_profiled, publish
from support import query, run_cli
from test_app_release import app_env, no_exception, open_page  # noqa: F401

PROFILE = """
[profile]
name = "partial-project-dates"
dataset = "infrastructure_projects"

[detect]
columns = ["Id", "Name", "Planned from", "Planned to", "Built from", "Built to"]

[dates]
formats = ["%Y-%m-%d", "%m/%d/%Y"]
unknown = ["xx"]

[fields]
project_id = "Id"
name = "Name"
kind = { value = "barrier" }
status = { value = "completed" }
country_iso3 = { value = "USA" }
planned_start = "Planned from"
planned_end = "Planned to"
actual_start = "Built from"
actual_end = "Built to"
lon = "Lon"
lat = "Lat"
"""

# id: (planned start, planned end, actual start, actual end) as published
ROWS = {
    "SAME-MONTH": ("1980-01-xx", "1/15/1980", "1980-01-xx", "1980-01-xx"),  # ends inside its start's month
    "DAY-MONTH": ("6/28/1980", "1980-06-xx", "", ""),                        # the other way round
    "YEAR": ("1986-xx-xx", "1986-xx-xx", "1986-03-01", "1986-xx-xx"),        # month and day unknown
    "PLAIN": ("2001-02-03", "2002-03-04", "2001-05-06", "2003-07-08"),        # to the day, as before
    "MONTH-BEFORE": ("1980-02-xx", "1980-01-xx", "", ""),                    # January is before February
    "ACTUAL-BEFORE": ("", "", "1990-03-xx", "1989-xx-xx"),                   # the actual period, at the year
    "DAY-BEFORE": ("3/10/1980", "3/9/1980", "", ""),                         # to the day
    "MONTH-13": ("1980-13-xx", "", "", ""),                                  # no month 13: not a partial date
}
EXPECTED = {   # (date, precision) of planned_start, planned_end, actual_start, actual_end
    "SAME-MONTH": (("1980-01-01", "month"), ("1980-01-15", "day"), ("1980-01-01", "month"), ("1980-01-01", "month")),
    "DAY-MONTH": (("1980-06-28", "day"), ("1980-06-01", "month"), (None, None), (None, None)),
    "YEAR": (("1986-01-01", "year"), ("1986-01-01", "year"), ("1986-03-01", "day"), ("1986-01-01", "year")),
    "PLAIN": (("2001-02-03", "day"), ("2002-03-04", "day"), ("2001-05-06", "day"), ("2003-07-08", "day")),
}
NO_RULE = ('[policy]\nname = "none"\n\n[[rule]]\nid = "nothing"\ndataset = "infrastructure_projects"\n'
           'action = "drop"\nfields = ["description"]\nwhen = "project_id = \'none\'"\n'
           'reason = "a policy needs a rule"\n')


def _ingest(folder: Path, profile: str = PROFILE) -> tuple[Path, dict]:
    data = "Id,Name,Planned from,Planned to,Built from,Built to,Lon,Lat\n" + "".join(
        f"{key},Fence {key},{','.join(dates)},-106.5,31.8\n" for key, dates in ROWS.items())
    return ingest_profiled(folder, profile, data, name="partial", data_name="fence.csv")


def _loaded(db: Path) -> dict:
    rows = query(db, """select project_id, planned_start::varchar, planned_start_precision, planned_end::varchar,
                               planned_end_precision, actual_start::varchar, actual_start_precision,
                               actual_end::varchar, actual_end_precision
                        from infrastructure_projects""")
    return {r[0]: tuple(zip(r[1::2], r[2::2])) for r in rows}


def test_partial_project_dates_load_with_their_precision(tmp_path: Path):
    db, result = _ingest(tmp_path)
    assert result["rows_read"] == result["rows_loaded"] + result["rows_quarantined"] == len(ROWS)
    assert _loaded(db) == EXPECTED
    quarantined = dict(query(db, "select json_extract_string(raw_record, '$.Id'), reasons from quarantine"))
    assert quarantined == {"MONTH-BEFORE": ["end_before_start"], "ACTUAL-BEFORE": ["end_before_start"],
                           "DAY-BEFORE": ["end_before_start"], "MONTH-13": ["unparseable_date"]}


def test_without_unknown_markers_a_partial_project_date_is_unparseable(tmp_path: Path):
    db, _ = _ingest(tmp_path, PROFILE.replace('unknown = ["xx"]\n', ""))
    reasons = dict(query(db, "select json_extract_string(raw_record, '$.Id'), reasons from quarantine"))
    assert reasons["SAME-MONTH"] == ["unparseable_date"] and reasons["DAY-BEFORE"] == ["end_before_start"]
    assert set(_loaded(db)) == {"PLAIN"}


def test_a_database_from_before_project_date_precision_is_migrated(tmp_path: Path):
    """A working database at schema 11 (no project precision columns) takes migration 012 on its next command: the
    dates it holds were read to the day, and say so; a missing date has no precision."""
    db, _ = _ingest(tmp_path)
    con = duckdb.connect(str(db))
    for field in ("planned_start", "planned_end", "actual_start", "actual_end"):
        con.execute(f"alter table infrastructure_projects drop column {field}_precision")
    con.execute("delete from schema_version where version = 12")
    con.close()
    run_cli("status", "--db", db)
    assert query(db, "select max(version) from schema_version") == [(migrations()[-1][0],)]
    migrated = _loaded(db)
    assert migrated["DAY-MONTH"] == (("1980-06-28", "day"), ("1980-06-01", "day"), (None, None), (None, None))
    assert migrated["PLAIN"] == EXPECTED["PLAIN"]


@pytest.fixture(scope="module")
def release_dir(tmp_path_factory) -> str:   # the release app_env serves: the file above alone, published
    folder = tmp_path_factory.mktemp("partial-projects")
    db, _ = _ingest(folder)
    return str(publish(db, folder / "release", NO_RULE))


def test_the_release_keeps_each_date_as_exactly_as_published(release_dir):
    from data_pipeline.views.queries import Filters
    from data_pipeline.views.queries_projects import projects_page, projects_table

    with open(Path(release_dir) / "extracts" / "infrastructure_projects.csv", encoding="utf-8-sig",
              newline="") as handle:
        extract = {r["project_id"]: r for r in csv.DictReader(handle)}
    fields = ("planned_start", "planned_end", "actual_start", "actual_end")
    for project_id, expected in EXPECTED.items():
        assert tuple((extract[project_id][f] or None, extract[project_id][f"{f}_precision"] or None)
                     for f in fields) == expected
    package = (Path(release_dir) / "datapackage.json").read_text(encoding="utf-8")
    assert "planned_start_precision" in package and "the day unknown" in package
    page = projects_page(release_dir, {**Filters().params(), "max_km": None, "statuses": None}, "project_id", None)
    shown = {r.project_id: (r.planned_start_text, r.planned_end_text, r.actual_start_text, r.actual_end_text)
             for r in page.itertuples()}
    assert shown["SAME-MONTH"] == ("Jan 1980", "1980-01-15", "Jan 1980", "Jan 1980")
    assert shown["YEAR"] == ("1986", "1986", "1986-03-01", "1986")
    assert shown["PLAIN"] == ("2001-02-03", "2002-03-04", "2001-05-06", "2003-07-08")
    # the timeline's tooltips: the same words (its bars still run from the first day of the month)
    from data_pipeline.views.queries_projects import projects_view

    timeline = projects_view(release_dir, Filters(), "any", ()).timeline.set_index("project_id")
    assert (timeline.loc["SAME-MONTH", "planned_start_text"], timeline.loc["YEAR", "actual_end_text"]) == (
        "Jan 1980", "1986")
    # the download holds the date as a date, and how exact it is beside it (not the words)
    table = projects_table(release_dir, Filters(), "any", ())
    assert {"planned_start", "planned_start_precision"} <= set(table.columns)
    assert "planned_start_text" not in table.columns


def test_the_infrastructure_page_writes_months_not_days(app_env):
    """The real page (AppTest): the table says 'Jan 1980' where the day was not published."""
    at = open_page("infrastructure", {"from": "1980-01", "to": "2003-12", "sort": "project_id"})
    no_exception(at)
    table = at.dataframe[0].value
    rows = {r["project_id"]: r for r in table.to_dict("records")}
    assert (rows["SAME-MONTH"]["planned_start_text"], rows["SAME-MONTH"]["planned_end_text"]) == (
        "Jan 1980", "1980-01-15")
    assert rows["YEAR"]["actual_end_text"] == "1986"
    assert "1980-01-01" not in table.to_string() and "1986-01-01" not in table.to_string()


def test_a_period_filter_keeps_a_project_that_may_be_under_way_in_it(release_dir):
    """YEAR was built from 1 March 1986 to some day of 1986, so it may still be under way in December; stored as
    1 January, it was left out of any period after that day. DAY-MONTH's plan ends some day in June 1980."""
    from datetime import date

    from data_pipeline.views.queries import Filters
    from data_pipeline.views.queries_projects import projects_page

    def shown(first: date, last: date) -> set[str]:
        params = {**Filters(date_from=first, date_to=last).params(), "max_km": None, "statuses": None}
        return set(projects_page(release_dir, params, "project_id", None)["project_id"])

    assert "YEAR" in shown(date(1986, 12, 1), date(1986, 12, 31))
    assert "DAY-MONTH" in shown(date(1980, 6, 29), date(1980, 6, 30))
    assert "YEAR" not in shown(date(1987, 1, 1), date(1987, 12, 31))
    assert "PLAIN" not in shown(date(2003, 7, 9), date(2003, 12, 31))  # ended on a published day
