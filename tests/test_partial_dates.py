"""Dates with an unknown day or month (issue 11, point 2): '1980-01-xx', '11/xx/85' load as the first day of their
month or year with a precision per date field, and end_before_start compares at the coarser precision; through the
real CLI on a real DuckDB file, and an older database takes the migration."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb

from cube_support import ingest_profiled, profile_mistake, publish
from data_pipeline.db import migrations
from support import query, run_cli, write

PROFILE = """
[profile]
name = "partial-dates"
dataset = "exercise_notices"

[detect]
columns = ["Id", "State", "From", "To"]

[dates]
formats = ["%m/%d/%y", "%Y-%m-%d"]
unknown = ["xx", "-9"]

[fields]
notice_id = "Id"
notifying_iso3 = "State"
notified_on = "Told"
start_date = "From"
end_date = "To"
"""

# id: (told, from, to) as published
ROWS = {
    "SAME-MONTH": ("", "1980-01-xx", "1/15/80"),       # an end inside the start's month: not before it
    "DAY-MONTH": ("", "6/28/80", "1980-06-xx"),        # the other way round
    "SLASHED": ("10/1/85", "11/xx/85", "11/30/85"),    # the unknown day between slashes
    "YEAR": ("", "1986-xx-xx", "1986-xx-xx"),          # month and day unknown
    "MINUS-NINE": ("", "1980-01--9", "1980-02--9"),    # -9 as the marker of the day
    "MONTH-BEFORE": ("", "1980-02-xx", "1980-01-xx"),  # January is before February at month precision
    "DAY-BEFORE": ("", "3/10/80", "3/9/80"),           # to the day
    "MONTH-13": ("", "1980-13-xx", "1980-12-31"),      # no month 13: unparseable, not a partial date
    "WORDS": ("", "spring 1980", "1980-06-xx"),        # not a date at all
}


def _ingest(tmp_path: Path, profile: str = PROFILE, db_name: str = "work.duckdb"):
    data = "Id,State,Told,From,To\n" + "".join(
        f"{key},POL,{told},{start},{end}\n" for key, (told, start, end) in ROWS.items())
    return ingest_profiled(tmp_path, profile, data, name="partial", db_name=db_name)


def test_partial_dates_load_with_their_precision(tmp_path: Path):
    db, result = _ingest(tmp_path)
    assert result["rows_read"] == result["rows_loaded"] + result["rows_quarantined"] == len(ROWS)
    loaded = {r[0]: r[1:] for r in query(db, """
        select notice_id, notified_on::varchar, notified_on_precision, start_date::varchar, start_date_precision,
               end_date::varchar, end_date_precision
        from exercise_notices""")}
    assert loaded == {
        "SAME-MONTH": (None, None, "1980-01-01", "month", "1980-01-15", "day"),
        "DAY-MONTH": (None, None, "1980-06-28", "day", "1980-06-01", "month"),
        "SLASHED": ("1985-10-01", "day", "1985-11-01", "month", "1985-11-30", "day"),
        "YEAR": (None, None, "1986-01-01", "year", "1986-01-01", "year"),
        "MINUS-NINE": (None, None, "1980-01-01", "month", "1980-02-01", "month"),
    }
    quarantined = dict(query(db, "select json_extract_string(raw_record, '$.Id'), reasons from quarantine"))
    assert quarantined == {"MONTH-BEFORE": ["end_before_start"], "DAY-BEFORE": ["end_before_start"],
                           "MONTH-13": ["unparseable_date"], "WORDS": ["unparseable_date"]}


def test_without_unknown_markers_a_partial_date_is_unparseable(tmp_path: Path):
    """The markers are the profile's: without [dates] unknown, 'xx' is no date (as before)."""
    db, result = _ingest(tmp_path, PROFILE.replace('unknown = ["xx", "-9"]\n', ""))
    reasons = dict(query(db, "select json_extract_string(raw_record, '$.Id'), reasons from quarantine"))
    assert reasons["SAME-MONTH"] == ["unparseable_date"]
    assert reasons["YEAR"] == ["unparseable_date"]
    assert reasons["DAY-BEFORE"] == ["end_before_start"]
    assert result["rows_loaded"] == 0 and result["rows_quarantined"] == len(ROWS)


def test_an_empty_unknown_marker_is_a_profile_mistake(tmp_path: Path):
    line, _ = profile_mistake(tmp_path, PROFILE.replace('unknown = ["xx", "-9"]', 'unknown = ["xx", " "]'),
                              "Id,State,Told,From,To\nA,POL,,1980-01-xx,1980-01-xx\n", data_name="partial.csv",
                              db_name="w.duckdb")
    assert "[dates] unknown" in line and "bad.toml" in line


def test_a_database_from_before_date_precision_is_migrated(tmp_path: Path):
    """A working database at schema 10 (no precision columns) takes migration 011 on its next command: the dates it
    holds were read to the day, and say so."""
    db, _ = _ingest(tmp_path)
    con = duckdb.connect(str(db))
    for column in ("notified_on_precision", "start_date_precision", "end_date_precision"):
        con.execute(f"alter table exercise_notices drop column {column}")
    con.execute("delete from schema_version where version = 11")
    con.close()
    run_cli("status", "--db", db)
    assert query(db, "select max(version) from schema_version") == [(migrations()[-1][0],)]
    assert query(db, """select notice_id, notified_on_precision, start_date_precision, end_date_precision
                        from exercise_notices where notice_id in ('SLASHED', 'SAME-MONTH') order by 1""") == [
        ("SAME-MONTH", None, "day", "day"), ("SLASHED", "day", "day", "day")]


def test_a_start_without_its_day_gives_no_lead_time(tmp_path: Path):
    """Published: SLASHED was notified on 1 Oct 1985 for a start in 'Nov 1985': its lead time is unknown (somewhere
    between 31 and 60 days, and para 38's 42 days lie between), never a count of days from 1 November; the extract
    carries the precisions."""
    import csv

    from data_pipeline.views.queries import Filters
    from data_pipeline.views.queries_notices import notice_detail, notices_page

    db, _ = _ingest(tmp_path)
    release = publish(db, tmp_path / "release", '[policy]\nname = "none"\n\n[[rule]]\nid = "nothing"\n'
                      'dataset = "exercise_notices"\naction = "drop"\nfields = ["area_name"]\n'
                      'when = "notice_id = \'none\'"\nreason = "a policy needs a rule"\n')
    with open(release / "extracts" / "exercise_notices.csv", encoding="utf-8-sig", newline="") as handle:
        extract = {r["notice_id"]: r for r in csv.DictReader(handle)}
    assert (extract["SLASHED"]["lead_days"], extract["SLASHED"]["late"]) == ("", "unknown")
    assert [extract["SLASHED"][f"{f}_precision"] for f in ("notified_on", "start_date", "end_date")] == [
        "day", "month", "day"]
    package = (release / "datapackage.json").read_text(encoding="utf-8")
    assert "start_date_precision" in package and "the day unknown" in package
    table, _, verdict = notice_detail(str(release), Filters(), "SLASHED")
    shown = dict(zip(table["field"], table["value"]))
    assert (shown["Notified on"], shown["Starts"], shown["Ends"]) == ("1985-10-01", "Nov 1985", "1985-11-30")
    assert verdict[0] == ("notified 31 to 60 days ahead (a date published without its day): late on some of those "
                          "days and not on others, so unknown")
    page = notices_page(str(release), Filters(), "start_asc", None)
    leads = dict(zip(page["notice_id"], page["lead"]))
    assert leads["SLASHED"] == "unknown: a date without its day" and leads["YEAR"] == "not available"
    assert dict(zip(page["notice_id"], page["starts_text"]))["YEAR"] == "1986"


# id: (told, from, to): dates without their day, whose lead time in days is a range
LEAD_ROWS = {
    "EARLY": ("6/1/85", "11/xx/85", "11/30/85"),            # 153 to 182 days: on time whatever the day
    "TOLD-MONTH": ("11/xx/85", "11/20/85", "11/30/85"),     # -10 to 19 days: late whatever the day
    "BOTH-MONTHS": ("1985-03-xx", "1985-04-xx", "1985-04-xx"),  # 1 to 60 days: unknown
    "YEARS": ("1984-xx-xx", "1986-xx-xx", "1986-xx-xx"),    # 366 to 1,095 days: on time
    "EDGE": ("1985-03-xx", "5/12/85", "5/20/85"),           # 42 to 72 days: on time (42 is enough)
    "EXACT": ("3/1/85", "4/12/85", "4/20/85"),              # 42 days, both dates with their day
}


def _days_of(day: date, precision: str) -> list[date]:
    last = {"day": day, "month": date(day.year + day.month // 12, day.month % 12 + 1, 1) - timedelta(days=1),
            "year": date(day.year, 12, 31)}[precision]
    return [day + timedelta(days=i) for i in range((last - day).days + 1)]


def test_the_lead_time_verdict_holds_when_every_day_a_date_can_stand_for_gives_it(tmp_path: Path):
    """Brute force of para 38 (late when notified less than 42 days ahead; no claim to para 41 in these rows): for
    every day the notification and the start can stand for, the lead time and its verdict; the release says late
    or on time only where all agree, unknown otherwise, and the notice's sentence gives the range."""
    from data_pipeline.views.queries import Filters
    from data_pipeline.views.queries_notices import notice_detail, notices_page

    data = "Id,State,Told,From,To\n" + "".join(f"{key},POL,{told},{start},{end}\n"
                                               for key, (told, start, end) in LEAD_ROWS.items())
    db, _ = ingest_profiled(tmp_path, PROFILE, data, name="leads")
    loaded = query(db, "select notice_id, notified_on, notified_on_precision, start_date, start_date_precision "
                       "from exercise_notices")
    assert len(loaded) == len(LEAD_ROWS)
    expected = {}
    for notice, told, told_precision, start, start_precision in loaded:
        leads = {(s - t).days for t in _days_of(told, told_precision) for s in _days_of(start, start_precision)}
        verdicts = {"no" if lead >= 42 else "yes" for lead in leads}
        expected[notice] = (verdicts.pop() if len(verdicts) == 1 else "unknown", min(leads), max(leads))
    assert {k: v[0] for k, v in expected.items()} == {"EARLY": "no", "TOLD-MONTH": "yes", "BOTH-MONTHS": "unknown",
                                                      "YEARS": "no", "EDGE": "no", "EXACT": "no"}
    release = publish(db, tmp_path / "release")
    stored = {r[0]: r[1:] for r in query(release / "borderlens.duckdb",
                                         "select notice_id, late, late_paragraph, lead_days from exercise_notices")}
    assert {k: v[0] for k, v in stored.items()} == {k: v[0] for k, v in expected.items()}
    assert stored["EXACT"][2] == 42 and all(v[2] is None for k, v in stored.items() if k != "EXACT")
    assert {v[1] for v in stored.values()} == {"38"}
    for notice, (late, least, most) in expected.items():
        if notice == "EXACT":
            continue
        _, _, sentences = notice_detail(str(release), Filters(), notice)
        if least >= 0:
            assert sentences[0].startswith(f"notified {least:,} to {most:,} days ahead"), sentences[0]
        else:
            assert sentences[0].startswith(f"notified between {-least} days after its start and {most} days ahead")
        assert ("so unknown" in sentences[0]) == (late == "unknown")
        assert (": late under para 38 on any of those days" in sentences[0]) == (late == "yes")
        assert (": not late under para 38 on any of those days" in sentences[0]) == (late == "no")
    page = notices_page(str(release), Filters(), "start_asc", None)
    leads = dict(zip(page["notice_id"], page["lead"]))
    assert leads["EARLY"] == "on time (a date without its day)" and leads["TOLD-MONTH"] == "late (a date without its day)"
    assert leads["BOTH-MONTHS"] == "unknown: a date without its day" and leads["EXACT"] == "on time"


FIELD_FORMATS = """
[profile]
name = "field-formats"
dataset = "exercise_notices"

[dates]
formats = ["%Y-%m-%d"]
unknown = ["xx"]

[fields]
notice_id = "Id"
notifying_iso3 = "State"
start_date = { columns = [{ column = "Start" }, { column = "Start (y m d)" }], first = "parseable", formats = ["%Y-%m-%d", "%Y %m %d"] }
end_date = { column = "End", formats = ["%d.%m.%Y"] }
"""


def test_a_date_field_with_its_own_formats_and_the_first_parseable_column(tmp_path: Path):
    """end_date reads its own format (with the profile's unknown markers); start_date takes the first of two columns
    whose date reads: a typo in the first falls through to the parts in the second; none readable: the first
    text given is quarantined as unparseable_date."""
    data = ("Id,State,Start,Start (y m d),End\n"
            "A,POL,1990-01-02,,05.01.1990\n"        # the first column reads
            "B,POL,1990-13-02,1990 02 03,xx.02.1990\n"   # a typo in Start: the parts' column reads
            "C,POL,,1990 03 xx,31.03.1990\n"         # Start empty: the parts, to the month
            "D,POL,someday,sometime,31.03.1990\n")   # neither reads
    db, result = ingest_profiled(tmp_path, FIELD_FORMATS, data, name="f", db_name="w.duckdb")
    assert (result["rows_loaded"], result["rows_quarantined"]) == (3, 1)
    assert query(db, """select notice_id, start_date::varchar, start_date_precision, end_date::varchar,
                               end_date_precision from exercise_notices order by 1""") == [
        ("A", "1990-01-02", "day", "1990-01-05", "day"),
        ("B", "1990-02-03", "day", "1990-02-01", "month"),
        ("C", "1990-03-01", "month", "1990-03-31", "day")]
    assert query(db, "select line_no, reasons from quarantine") == [(5, ["unparseable_date"])]


def test_a_misplaced_date_option_is_one_line(tmp_path: Path):
    data = write(tmp_path / "f.csv", "Id,State,Start,End\nA,POL,1990-01-02,05.01.1990\n")
    for old, new, said in (
            ('end_date = { column = "End", formats = ["%d.%m.%Y"] }', 'end_date = { column = "End", first = "parseable" }',
             "goes with columns"),
            ('end_date = { column = "End", formats = ["%d.%m.%Y"] }', 'end_date = { column = "End", formats = ["%Q"] }',
             "is not a strptime format"),
            ('notifying_iso3 = "State"', 'notifying_iso3 = { column = "State", formats = ["%Y"] }', "date field")):
        line, _ = profile_mistake(tmp_path, FIELD_FORMATS.replace(old, new), data, db_name="w.duckdb")
        assert said in line and "bad.toml" in line, line


def test_a_period_filter_keeps_a_notice_that_may_be_under_way_in_it(tmp_path: Path):
    """'1980-06-xx' ends some day in June 1980: a period from 20 to 30 June keeps DAY-MONTH (from 28 June), and
    '1986' may run to 31 December; stored as the 1st of the unit, they were left out of periods after it."""
    from datetime import date

    from data_pipeline.views.queries import Filters
    from data_pipeline.views.queries_notices import notices_page

    db, _ = _ingest(tmp_path)
    release = publish(db, tmp_path / "release", '[policy]\nname = "none"\n\n[[rule]]\nid = "nothing"\n'
                      'dataset = "exercise_notices"\naction = "drop"\nfields = ["area_name"]\n'
                      'when = "notice_id = \'none\'"\nreason = "a policy needs a rule"\n')

    def shown(first: date, last: date) -> set[str]:
        return set(notices_page(str(release), Filters(date_from=first, date_to=last), "start_asc", None)["notice_id"])

    assert "DAY-MONTH" in shown(date(1980, 6, 29), date(1980, 6, 30))
    assert "YEAR" in shown(date(1986, 12, 1), date(1986, 12, 31))
    assert shown(date(1987, 1, 1), date(1987, 12, 31)).isdisjoint({"YEAR", "DAY-MONTH"})
    assert "SAME-MONTH" not in shown(date(1980, 1, 16), date(1980, 1, 31))  # its end was published to the day
