"""Notices page, Chapter VIII figures: equal to a brute-force count of the Vienna Document's definition on a
release built for it, and a notice with troops or tanks withheld counted as unclassified."""

from __future__ import annotations

import calendar
import csv
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from data_pipeline.views.queries import Filters, run
from support import query, run_cli, write
from test_app_release import (REPO, XSS_DESIGNATION, XSS_NOTICE_ID, app_env, no_exception, open_page,  # noqa: F401
                              release_dir, warnings_text, whole_period)

NOTICE_COLUMNS = ("notice_id,designation,purpose,notifying_iso3,participating_iso3,notified_on,start_date,end_date,"
                  "troops,battle_tanks,acvs,artillery,sorties,helicopters,airborne_amphibious,observers_invited,"
                  "in_annual_calendar,area_name,lon,lat,area_geojson,location_precision,synthetic")
# (id, state, start, end, troops, battle tanks): overlaps on the same day, one ending the day before another
# starts, several starting the same day, one across the new year, troops withheld but tanks over the line, some
# above the paragraph 68 ceiling, some below every line; DUP and GAP are published by both publishers with other
# dates (overlapping, and apart), so that a notice counted twice would show.
CH8_FIRST = [
    ("A", "FIN", "2024-03-01", "2024-03-10", "14000", "100"), ("B", "FIN", "2024-03-10", "2024-03-20", "14000", "0"),
    ("C", "FIN", "2024-03-11", "2024-03-12", "14000", "0"), ("D", "FIN", "2024-03-10", "2024-03-10", "20000", "0"),
    ("E", "FIN", "2024-12-30", "2025-01-05", "26000", "0"), ("F", "FIN", "2025-01-02", "2025-01-03", "14000", "0"),
    ("G", "FIN", "2024-03-10", "2024-03-20", "5000", "0"),
    ("H", "FIN", "2024-03-05", "2024-03-15", "█████", "350"),
    ("I", "FIN", "2024-03-15", "2024-03-16", "45000", "0"), ("J", "FIN", "2023-03-15", "2023-03-16", "41000", "0"),
    ("K", "FIN", "2024-06-04", "2024-06-04", "14000", "0"), ("DUP", "FIN", "2024-03-08", "2024-03-12", "14000", "0"),
    ("GAP", "FIN", "2024-03-01", "2024-03-02", "14000", "0"), ("L", "FIN", "2024-07-05", "2024-07-12", "14000", "0"),
    ("M", "EST", "2024-05-01", "2024-05-31", "13500", "0"), ("N", "EST", "2024-05-31", "2024-06-02", "0", "301"),
    ("O", "EST", "2024-06-03", "2024-06-04", "13001", "0"),
]
CH8_SECOND = [("DUP", "FIN", "2024-03-10", "2024-03-14", "14000", "0"),
              ("GAP", "FIN", "2024-03-18", "2024-03-19", "14000", "0"),
              ("P", "FIN", "2024-03-10", "2024-03-25", "13500", "0")]


def _notices_csv(rows) -> str:
    lines = [NOTICE_COLUMNS]
    for notice_id, state, start, end, troops, tanks in rows:
        lines.append(f"{notice_id},EXERCISE {notice_id},Field training,{state},{state},2023-01-01,{start},{end},"
                     f"{troops},{tanks},10,10,0,0,false,true,true,Range {notice_id},25.5,61.5,,exact,true")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def chapter8_release(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("chapter8")
    for name, rows in (("first", CH8_FIRST), ("second", CH8_SECOND)):
        write(folder / f"{name}.csv", _notices_csv(rows))
        write(folder / f"{name}.csv.meta.toml", f'[source]\npublisher = "Publisher {name}"\nseries = "ch8-{name}"\n'
                                                'synthetic = true\n')
    write(folder / "policy.toml", '[policy]\nname = "test"\n\n[[rule]]\nid = "round"\ndataset = '
                                  '"infrastructure_projects"\naction = "round_to"\nfields = ["budget"]\nbase = 1000\n'
                                  'reason = "none"\n')
    run_cli("ingest", folder / "first.csv", folder / "second.csv", "--db", folder / "work.duckdb")
    run_cli("publish", "--db", folder / "work.duckdb", "--policy", folder / "policy.toml", "--out",
            folder / "release", env={"BORDERLENS_PUBLISH_DATE": "2025-12-31"})
    return folder / "release"


def _brute_force_chapter8(db: Path, first: date, last: date) -> dict:
    """Chapter VIII by its definition, pair by pair in Python: per state, year and paragraph, the activities
    counted (67: in the three years to that year, 68/68.1: in the year) and, for the simultaneous limit (69), the
    most distinct notices under way (b.start <= a.start <= b.end) on the start day of an activity of that year."""
    notices = query(db, "select notice_id, notifying_iso3, start_date, coalesce(end_date, start_date), troops, "
                        "battle_tanks from exercise_notices "
                        "where notifying_iso3 is not null and start_date is not null")
    rules = query(db, "select paragraph, metric, operator, value, applies_to from vd_thresholds")

    def over(amount, op, value) -> bool:
        return amount is not None and (amount > value if op == ">" else amount >= value if op == ">=" else False)

    def hits(notice, applies, paragraph) -> bool:
        amounts = {"troops": notice[4], "battle_tanks": notice[5]}
        return any(p == paragraph and a == applies and m in amounts and over(amounts[m], op, v)
                   for p, m, op, v, a in rules)

    limits = {p: m for p, m, _, _, a in rules if a == "constraint_limit"}
    result = {}
    state_years = {(n[1], n[2].year) for n in notices if first.year <= n[2].year <= last.year}
    for paragraph, limit in limits.items():
        ceiling = {n[0] for n in notices if hits(n, "constraint_ceiling", paragraph)}   # by notice id
        chosen = [n for n in notices if hits(n, "constraint_activity", paragraph) and n[0] not in ceiling]
        for state, year in state_years:
            mine = [n for n in chosen if n[1] == state]
            if limit == "simultaneous_activities":
                value = max((len({b[0] for b in mine if b[2] <= a[2] <= b[3]}) for a in mine if a[2].year == year),
                            default=0)
            else:
                back = 2 if limit == "activities_in_three_calendar_years" else 0
                value = len({n[0] for n in mine if year - back <= n[2].year <= year})
            result[(state, year, paragraph)] = value
    return result


def test_chapter8_equals_a_brute_force_count_of_its_definition(chapter8_release):
    db = chapter8_release / "borderlens.duckdb"
    assert len(query(db, "select * from exercise_notices where notice_id in ('DUP', 'GAP')")) == 4   # both publishers
    first, last = date(2023, 1, 1), date(2025, 12, 31)
    expected = _brute_force_chapter8(db, first, last)
    got = run(str(chapter8_release), "notices_chapter8",
              {**Filters(date_from=first, date_to=last).params(), "ids_shown": 100})
    assert {(r.notifying_iso3, r.year, r.paragraph): r.activities for r in got.itertuples()} == expected
    # the cases the rows were made for: on 10 March 2024 A (ending that day), B, D and P (starting), H and DUP
    # (published twice, both under way) are under way, GAP (published twice, apart) is not, C starts the day
    # after A ends; N starts the day M ends
    assert expected[("FIN", 2024, "69")] == 6 and expected[("EST", 2024, "69")] == 2
    assert expected[("FIN", 2025, "69")] == 2 and expected[("FIN", 2023, "67")] == 1
    for state, year in (("FIN", 2024), ("EST", 2025)):
        narrow = run(str(chapter8_release), "notices_chapter8",
                     {**Filters(date_from=date(year, 1, 1), date_to=date(year, 12, 31)).params(), "ids_shown": 1})
        assert {(r.notifying_iso3, r.year, r.paragraph): r.activities for r in narrow.itertuples()} == {
            k: v for k, v in _brute_force_chapter8(db, date(year, 1, 1), date(year, 12, 31)).items()}
        assert all(len(ids) <= 1 for ids in narrow["notice_ids"].dropna())
    # a country filter only chooses the notifying states' rows (the figures are the release's, as publish stored them)
    estonia = run(str(chapter8_release), "notices_chapter8",
                  {**Filters(countries=("EST",), date_from=first, date_to=last).params(), "ids_shown": 100})
    assert set(estonia["notifying_iso3"]) == {"EST"}
    assert {(r.notifying_iso3, r.year, r.paragraph): r.activities for r in estonia.itertuples()} == {
        k: v for k, v in expected.items() if k[0] == "EST"}


def test_chapter8_counts_a_notice_with_troops_or_tanks_withheld_as_unclassified(app_env):
    first, last = date(2023, 1, 1), date(2025, 12, 31)
    # counted independently of the SQL: from the published CSV extract, a notice whose troops or tanks cell is
    # empty because the value is not published (any status but reported or estimated)
    expected: dict = {}
    with open(Path(app_env) / "extracts" / "exercise_notices.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not row["notifying_iso3"] or not row["start_date"]:
                continue
            start = date.fromisoformat(row["start_date"])
            if not first <= start <= last:
                continue
            hidden = [row[f"{n}_status"] not in ("reported", "estimated") and row[n] == ""
                      for n in ("troops", "battle_tanks")]
            key = (row["notifying_iso3"], start.year)
            expected[key] = expected.get(key, 0) + any(hidden)
    assert any(n for n in expected.values())  # the demo withholds some troops: the check below means something
    got = run(str(app_env), "notices_chapter8", {**Filters(date_from=first, date_to=last).params(), "ids_shown": 5})
    assert {(r.notifying_iso3, r.year): r.unclassified for r in got.itertuples()} == expected


# Dates without their day (a profile with [dates] unknown = ["xx"]): (id, state, start, end, troops). FIN: three
# day-precision activities surely under way on 12 March 2024 (3, at the limit of 3), and PM, a March 2024 activity
# with no days known, which may be a fourth; PJ1 ends some day in June, so PJ2 may overlap it; PF starts some day
# in February and ends on 5 February. EST: four surely under way on 3 May 2024 (over the limit for certain), and
# PE4, which starts some day in May, may be a fifth.
PARTIAL = [
    ("PA1", "FIN", "2024-03-10", "2024-03-12", "14000"), ("PA2", "FIN", "2024-03-11", "2024-03-13", "14000"),
    ("PA3", "FIN", "2024-03-12", "2024-03-12", "14000"), ("PM", "FIN", "2024-03-xx", "2024-03-xx", "14000"),
    ("PJ1", "FIN", "2024-06-01", "2024-06-xx", "14000"), ("PJ2", "FIN", "2024-06-20", "2024-06-21", "14000"),
    ("PF", "FIN", "2024-02-xx", "2024-02-05", "14000"),
    ("PE1", "EST", "2024-05-01", "2024-05-03", "14000"), ("PE2", "EST", "2024-05-02", "2024-05-04", "14000"),
    ("PE3", "EST", "2024-05-03", "2024-05-03", "14000"), ("PE4", "EST", "2024-05-xx", "2024-05-03", "14000"),
    ("PE5", "EST", "2024-04-29", "2024-05-03", "14000"),
]


def _last_possible_day(day: date, precision: str) -> date:
    if precision == "month":
        return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return date(day.year, 12, 31) if precision == "year" else day


def _brute_force_simultaneous(db: Path) -> dict:
    """Paragraph 69 by its definition with dates known to a month: per state and year, the most notices surely
    under way on a day a notice of the year surely starts (start and end known to the day where they count), and
    the most that may be under way on any day a notice of the year may start."""
    notices = query(db, "select notice_id, notifying_iso3, start_date, start_date_precision, "
                        "coalesce(end_date, start_date), coalesce(end_date_precision, start_date_precision) "
                        "from exercise_notices where troops > 13000")
    spans = [(i, s, first, _last_possible_day(first, sp), end, _last_possible_day(end, ep))
             for i, s, first, sp, end, ep in notices]
    result: dict = {}
    for state, year in {(s[1], s[2].year) for s in spans}:
        mine = [s for s in spans if s[1] == state]
        sure = max((len({b[0] for b in mine if b[3] <= a[2] <= b[4]})
                    for a in mine if a[2].year == year and a[2] == a[3]), default=0)
        days = {a[2] + timedelta(days=n) for a in mine if a[2].year == year for n in range((a[3] - a[2]).days + 1)}
        maybe = max((len({b[0] for b in mine if b[2] <= d <= b[5]}) for d in days), default=0)
        result[(state, year)] = (sure, maybe)
    return result


@pytest.fixture(scope="module")
def partial_release(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("chapter8-partial")
    profile = (REPO / "data_pipeline" / "profiles" / "borderlens-exercise-notices-csv.toml").read_text(
        encoding="utf-8").replace('name = "borderlens-exercise-notices-csv"', 'name = "notices-partial-dates"')
    write(folder / "notices-partial.toml", profile.replace('[dates]\n', '[dates]\nunknown = ["xx"]\n'))
    write(folder / "partial.csv", _notices_csv([(i, s, a, b, t, "0") for i, s, a, b, t in PARTIAL]))
    run_cli("ingest", folder / "partial.csv", "--profile", folder / "notices-partial.toml", "--db",
            folder / "work.duckdb")
    run_cli("publish", "--db", folder / "work.duckdb", "--policy", REPO / "sample_data" / "policy.toml", "--out",
            folder / "release", env={"BORDERLENS_PUBLISH_DATE": "2025-12-31"})
    return folder / "release"


def test_chapter8_says_unknown_where_a_date_without_its_day_could_pass_the_simultaneous_limit(partial_release):
    db = partial_release / "borderlens.duckdb"
    assert query(db, "select count(*) from exercise_notices where start_date_precision = 'month' "
                     "or end_date_precision = 'month'") == [(4,)]
    expected = _brute_force_simultaneous(db)
    # the cases the rows were made for (so that the brute force is checked too)
    assert expected == {("FIN", 2024): (3, 4), ("EST", 2024): (4, 5)}
    got = run(str(partial_release), "notices_chapter8",
              {**Filters(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31)).params(), "ids_shown": 5})
    para69 = got[got["paragraph"] == "69"]
    assert {(r.notifying_iso3, r.year): (r.activities, r.activities_possible)
            for r in para69.itertuples()} == expected
    verdict = {r.notifying_iso3: r.over_limit for r in para69.itertuples()}
    assert not pd.isna(verdict["EST"]) and bool(verdict["EST"]) and pd.isna(verdict["FIN"])   # FIN: 3 surely, 4 possibly, limit 3: unknown
    others = got[got["paragraph"] != "69"]
    assert (others["activities"] == others["activities_possible"]).all() and others["over_limit"].notna().all()


def test_the_notices_page_prints_a_count_a_date_leaves_open_as_a_range_and_its_verdict_unknown(app_env,
                                                                                            partial_release,
                                                                                            monkeypatch):
    monkeypatch.setenv("BORDERLENS_RELEASE", str(partial_release))
    at = open_page("notices", {"from": "2024-01", "to": "2024-12"})
    no_exception(at)
    table = next(t.value for t in at.dataframe if "State" in t.value.columns or "state" in t.value.columns)
    cells = {str(v) for v in table.to_numpy().ravel()}
    assert "3 to 4 – unknown: may be over the limit" in cells     # FIN, paragraph 69
    assert "4 to 5 – over the limit" in cells                     # EST: 4 for certain
    assert any("under way on the same day for certain" in c.value for c in at.caption)
