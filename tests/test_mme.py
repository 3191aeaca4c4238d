"""The real MME exercises (issue 11, point 10): the built-in profile loads the file as published by detection
alone, only genuinely bad rows in quarantine, every participant kept; checked against the file read with Python's
csv module, an oracle that shares no code with the SQL; and in a release, shown honestly (dates to the month,
lead time unknown)."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest

from support import SAMPLE, ingest_json, query, run_cli
from test_app_release import app_env, no_exception, open_page  # noqa: F401

MME = SAMPLE / "exercises" / "mme_v7_multinational_military_exercises_1980-2010.csv"
UNKNOWN = ("-9", "NA", "")


def _records() -> list[tuple[int, dict]]:
    """(line the record starts on, record) of the file, as Python's csv module reads it."""
    out = []
    with open(MME, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        start = reader.line_num + 1
        for record in reader:
            out.append((start, record))
            start = reader.line_num + 1
    return out


def _read_date(text: str) -> tuple[date, str]:
    """(first day, precision) of a date such as 1/14/80 or 1980-01-xx, by hand."""
    if "xx" in text:
        year, month, _ = text.split("-")
        return (date(int(year), 1, 1), "year") if month == "xx" else (date(int(year), int(month), 1), "month")
    for fmt in ("%m/%d/%y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date(), "day"
        except ValueError:
            pass
    raise AssertionError(text)


def _cut(day: date, precision: str) -> tuple:
    return {"day": (day.year, day.month, day.day), "month": (day.year, day.month), "year": (day.year,)}[precision]


def _expected_quarantine(records) -> dict[int, str]:
    coarser = {("day", "day"): "day", ("day", "month"): "month", ("month", "day"): "month",
               ("month", "month"): "month"}
    by_id: dict[str, list] = {}
    for line, r in records:
        by_id.setdefault(r["MMEID"], []).append(line)
    expected = {}
    for line, r in records:
        (start, sp), (end, ep) = _read_date(r["StartDate"]), _read_date(r["EndDate"])
        precision = coarser.get((sp, ep), "year")
        if _cut(end, precision) < _cut(start, precision):
            expected[line] = "end_before_start"
        elif len(by_id[r["MMEID"]]) > 1:  # the repeated ids name different exercises (checked below)
            expected[line] = "conflicting_duplicate"
    return expected


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> tuple[Path, dict]:
    db = tmp_path_factory.mktemp("mme") / "work.duckdb"
    return db, ingest_json(db, MME)[0]   # no --profile: detected


def test_detected_and_only_genuinely_bad_rows_quarantined(work):
    db, result = work
    records = _records()
    assert result["profile"] == "mme-multinational-military-exercises"
    assert result["rows_read"] == len(records) == result["rows_loaded"] + result["rows_quarantined"]
    repeated = {}
    for _, r in records:
        repeated.setdefault(r["MMEID"], set()).add(tuple(r.values()))
    assert all(len(v) == 2 for v in repeated.values() if len(v) > 1)  # the repeats differ: a conflict, not a copy
    expected = _expected_quarantine(records)
    got = dict(query(db, "select line_no, reasons from quarantine"))
    assert {line: reasons for line, reasons in got.items()} == {line: [why] for line, why in expected.items()}
    assert 0 < len(expected) < 20


def test_dates_participants_and_missing_markers(work):
    db, _ = work
    records = {r["MMEID"]: r for _, r in _records()}
    loaded = query(db, """select notice_id, designation, start_date, start_date_precision, end_date, end_date_precision,
                                 participating_iso3, participants_unmapped, notifying_iso3, notified_on
                          from exercise_notices""")
    assert len(loaded) > 3600
    precisions = {p for row in loaded for p in (row[3], row[5])}
    assert precisions == {"day", "month"}
    for notice_id, designation, start, sp, end, ep, codes, unmapped, notifying, notified in loaded:
        r = records[notice_id]
        assert (start, sp) == _read_date(r["StartDate"]) and (end, ep) == _read_date(r["EndDate"])
        named = [r[c].strip() for c in r if c and c.startswith("State") and r[c].strip() not in UNKNOWN]
        # every participant named is kept: as a code, or as published when no code stands for it
        assert len(codes or []) + len(unmapped or []) == len(named), notice_id
        assert set(unmapped or []) <= set(named)
        assert all(len(c) == 3 and c.isupper() for c in codes or [])
        assert designation == (None if r["Ex_Name"].strip() in UNKNOWN else r["Ex_Name"])
        assert notifying is None and notified is None   # not published: never invented
    gdr = [row for row in loaded if "German Democratic Republic" in (row[7] or [])]
    assert gdr and all("DEU" not in (row[6] or []) or "Federal Republic of Germany" in
                       records[row[0]].values() for row in gdr)


def test_shown_honestly_in_a_release(work, tmp_path: Path):
    """Published: the precision columns are in the extract, the dates read 'Jan 1980', the lead time is unknown
    (no notification date published), never late."""
    from data_pipeline.views.queries import Filters
    from data_pipeline.views.queries_notices import notice_detail, notices_page

    db, _ = work
    policy = tmp_path / "policy.toml"
    policy.write_text('[policy]\nname = "none"\n\n[[rule]]\nid = "nothing"\ndataset = "exercise_notices"\n'
                      'action = "drop"\nfields = ["area_name"]\nwhen = "notice_id = \'none\'"\n'
                      'reason = "a policy needs a rule"\n', encoding="utf-8")
    release = tmp_path / "release"
    run_cli("publish", "--db", db, "--policy", policy, "--out", release)
    with open(release / "extracts" / "exercise_notices.csv", encoding="utf-8-sig", newline="") as handle:
        extract = {r["notice_id"]: r for r in csv.DictReader(handle)}
    assert extract["mme88"]["start_date"] == "1980-01-01" and extract["mme88"]["start_date_precision"] == "month"
    assert extract["mme87"]["start_date_precision"] == "day"
    assert {r["late"] for r in extract.values()} == {"unknown"} and not any(r["lead_days"] for r in extract.values())
    detail, _, verdict = notice_detail(str(release), Filters(), "mme88")
    shown = dict(zip(detail["field"], detail["value"]))
    assert shown["Starts"] == "Jan 1980" and shown["Ends"] == "Jan 1980"
    gdr = next(i for i, r in extract.items() if "German Democratic Republic" in r["participants_unmapped"])
    shown = dict(zip(*notice_detail(str(release), Filters(), gdr)[0].to_dict("list").values()))
    assert "German Democratic Republic" in shown["Participants without a country code (as published)"]
    assert verdict[0] == "notification date not published: lead time unknown"
    page = notices_page(str(release), Filters(date_from=date(1980, 1, 1), date_to=date(1980, 1, 31)), "start_asc",
                        None)
    rows = dict(zip(page["notice_id"], zip(page["starts_text"], page["ends_text"], page["lead"])))
    assert rows["mme88"] == ("Jan 1980", "Jan 1980", "not available")   # the notification date: never late
    assert rows["mme87"] == ("14 Jan 1980", "21 Jan 1980", "not available")
    # the map's tooltip: the month as published, no notifying state invented
    from data_pipeline.views import queries_map_areas as A
    from data_pipeline.views.queries import precision_table

    january = Filters(date_from=date(1980, 1, 1), date_to=date(1980, 1, 31))
    drawn = A.notice_layer(str(release), january.params(), precision_table(str(release)))
    tips = {f["properties"]["tooltip"].split("(")[1].split(")")[0]: f["properties"]["tooltip"]
            for f in drawn.features["features"]}
    assert "notifying state not published · Jan 1980 – Jan 1980" in tips["mme88"]
    assert "14 Jan 1980 – 21 Jan 1980" in tips["mme87"] and "notice: unknown" in tips["mme87"]


@pytest.fixture(scope="module")
def release_dir(work, tmp_path_factory) -> str:  # the release app_env serves: the MME file alone, published
    db, _ = work
    folder = tmp_path_factory.mktemp("mme-release")
    policy = folder / "policy.toml"
    policy.write_text('[policy]\nname = "none"\n\n[[rule]]\nid = "nothing"\ndataset = "exercise_notices"\n'
                      'action = "drop"\nfields = ["area_name"]\nwhen = "notice_id = \'none\'"\n'
                      'reason = "a policy needs a rule"\n', encoding="utf-8")
    run_cli("publish", "--db", db, "--policy", policy, "--out", folder / "release")
    return str(folder / "release")


def test_the_notices_page_shows_months_and_unknown_lead_times(app_env):
    """The real page (AppTest): January 1980's exercises, dates to the month where the day is not published, no
    notice counted late, and the detail of one says why its lead time is unknown."""
    at = open_page("notices", {"from": "1980-01", "to": "1980-01", "sort": "start_asc", "notice": "mme88"})
    no_exception(at)
    table = at.dataframe[0].value
    rows = dict(zip(table["notice_id"], zip(table["starts_text"], table["ends_text"], table["lead"])))
    assert rows["mme88"] == ("Jan 1980", "Jan 1980", "not available")
    assert rows["mme87"] == ("14 Jan 1980", "21 Jan 1980", "not available")
    late = next(m for m in at.metric if m.label.startswith("Late"))
    assert late.value == "0"
    detail = next(d.value for d in at.dataframe if list(d.value.columns) == ["field", "value"])
    shown = dict(zip(detail["field"], detail["value"]))
    assert shown["Lead time (para 38 / 41)"] == "notification date not published: lead time unknown"
    assert (shown["Starts"], shown["Ends"], shown["Notifying state"]) == ("Jan 1980", "Jan 1980", "not published")
