"""Property tests (issue 13 point 5), with hypothesis on real DuckDB: the number, date and country normalisers (the
SQL macros of sql/canonical/macros.sql, and a whole ingest through the wide European layout); the CSV writer of
the extracts (any text reads back byte-exact, but for the documented formula guard); and small-count suppression
(random small tables published by the real publish, then attacked with linear programs written here: no small
count is narrowed below +-p %, none is pinned).

Settings: the "ci" profile is derandomized (the same examples on every run, so a failure reproduces), without a
deadline (a shared machine is slow at times) and with few examples, so the file runs in well under a minute."""

from __future__ import annotations

import calendar
import csv
import io
import os
import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import numpy as np
import pycountry
import pytest

from hypothesis import HealthCheck, Phase, assume, example, given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

from data_pipeline import db as work_db
from data_pipeline.export import exports
from data_pipeline.publish import release
from data_pipeline.ingest import ingest
from data_pipeline.ingest.profiles import builtin_profiles

NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate)  # shrinking a publish takes minutes
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True, phases=NO_SHRINK,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.load_profile("ci")

MAX_CROSSING_VALUE = 1e12  # sql/canonical/macros.sql bl_max_crossing_value(): beyond it, 'number_out_of_range'
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")  # sql/export/macros.sql, docs: CSV safety


@pytest.fixture(scope="module")
def macros():
    """An in-memory DuckDB connection with the canonical macros, as ingest defines them."""
    con = duckdb.connect()
    con.execute(work_db.sql("canonical/macros"))
    yield con
    con.close()


def _one(con, text: str, params):
    return con.execute(text, params).fetchall()[0][0]


# --- numbers ------------------------------------------------------------------------------------------------

STYLES = [(".", ","), (",", "."), (".", " "), (",", ""), (".", "")]  # (decimal mark, thousands separator)


def _formatted(number: Decimal, decimal_mark: str, thousands: str) -> str:
    """number as a publisher in that style writes it: grouped by thousands, with its decimal mark."""
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", thousands)
    return sign + grouped + (decimal_mark + fraction if fraction else "")


@given(number=st.decimals(min_value=-10 ** 12, max_value=10 ** 12, places=3, allow_nan=False),
       style=st.sampled_from(STYLES))
@example(number=Decimal("1234567.5"), style=(",", "."))
@example(number=Decimal("-1000"), style=(".", ","))
@settings(max_examples=300)
def test_a_formatted_number_reads_back_as_itself(macros, number, style):
    text = _formatted(number, *style)
    assert _one(macros, "select bl_number(?, ?, ?)", [text, *style]) == float(number), text


GROUPED = re.compile(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?")


@given(text=st.text(alphabet="0123456789,.-+eE_ ", min_size=1, max_size=12))
@example(text="1,2,3")
@example(text="1,234.5")
@example(text="1_000")
@settings(max_examples=400)
def test_any_text_is_its_number_or_unparseable_never_another_number(macros, text):
    """With '.' as the mark and ',' for thousands: a result is the number Python reads from the same text without
    its separators, and a text with a ',' gives one only where the commas group thousands."""
    parsed = _one(macros, "select bl_number(?, '.', ',')", [text])
    if parsed is None:
        return
    bare = text.replace(" ", "")
    assert "_" not in bare
    if "," in bare:
        assert GROUPED.fullmatch(bare), text
    assert parsed == float(bare.replace(",", "")), text


@given(value=st.floats(allow_nan=False, allow_infinity=False))
@example(value=MAX_CROSSING_VALUE)
@example(value=-MAX_CROSSING_VALUE * 1.0000001)
def test_a_number_beyond_the_range_gets_a_reason_and_one_within_none(macros, value):
    reason = _one(macros, "select bl_number_range_reason([?::double], bl_max_crossing_value())", [value])
    assert reason == ("number_out_of_range" if abs(value) > MAX_CROSSING_VALUE else None)


# --- dates --------------------------------------------------------------------------------------------------

BTS_FORMATS = builtin_profiles()["bts-border-crossings"].date_formats
MONTH_ONLY = {"%b %Y", "%B %Y", "%Y-%m"}


@given(day=st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)), fmt=st.sampled_from(BTS_FORMATS))
@settings(max_examples=300)
def test_a_date_written_in_any_profile_format_reads_back(macros, day, fmt):
    """Every format of the BTS profile, tried in the profile's order: the date (its month's first day for a month
    format) comes back, never a neighbouring day or another century."""
    text = day.strftime(fmt.replace("%g", "000"))
    if fmt == "%m/%d/%y %H:%M":  # two-digit years: 69-99 are 19xx, 00-68 20xx (POSIX)
        day = day.replace(year=(1900 if day.year % 100 >= 69 else 2000) + day.year % 100)
    if fmt in MONTH_ONLY:
        day = day.replace(day=1)
    assert _one(macros, "select bl_date(?, ?)", [text, BTS_FORMATS]) == day, text


@given(text=st.text(alphabet="0123456789-/ :JanFebMrApyulgSOctNvD", min_size=1, max_size=12))
@example(text="2024-02-30")
@example(text="2023-13-01")
def test_text_that_is_no_date_in_the_formats_gives_no_date(macros, text):
    """A date read from any text is one that text shows in one of the formats, so no impossible day (Feb 30)
    becomes a real one."""
    parsed = _one(macros, "select bl_date(?, ?)", [text, BTS_FORMATS])
    if parsed is None:
        return
    shown = {parsed.strftime(f.replace("%g", "000")) for f in BTS_FORMATS}
    shown |= {parsed.strftime(f).lstrip("0") for f in ("%m/%d/%Y", "%Y-%m-%d")}
    assert any(_same_date_text(text, s) for s in shown), (text, parsed)


def _same_date_text(text: str, shown: str) -> bool:
    """text and shown name the same date, allowing leading zeros left out (5/3/2024 for 05/03/2024)."""
    def numbers(t):
        return [int(n) for n in re.findall(r"[0-9]+", t)], re.sub(r"[0-9\s]+", "#", t).lower()
    return numbers(text)[0][:3] == numbers(shown)[0][:3] and numbers(text)[1][:8] == numbers(shown)[1][:8]


# --- a whole ingest: numbers, dates and countries through the wide European layout -------------------------

COUNTRIES = sorted(c.alpha_3 for c in pycountry.countries)
WIDE_HEADER = "reporter;crossing_point;crossing_code;neighbour;direction;measure;{month};total\n"


@pytest.fixture(scope="module")
def template_db(tmp_path_factory):
    """A working database after one ingest (the first ingest loads the reference geography: seconds); each example
    ingests its file into a copy."""
    folder = tmp_path_factory.mktemp("template")
    seed = folder / "seed.csv"
    seed.write_text(WIDE_HEADER.format(month="2019-01") + "FIN;Seed;SEED-1;RUS;inbound;Persons;12;12\n",
                    encoding="utf-8")
    path = folder / "work.duckdb"
    con = work_db.open_work_db(path)
    try:
        ingest.ingest(con, [str(seed)])
    finally:
        con.close()
    return path


def _copy_db(template: Path, folder: Path) -> Path:
    target = folder / "work.duckdb"
    for sibling in template.parent.glob(template.name + "*"):  # the database and its operator key
        shutil.copy(sibling, folder / sibling.name.replace(template.name, target.name))
    return target


ROW = st.fixed_dictionaries({
    "reporter": st.one_of(st.sampled_from(COUNTRIES), st.sampled_from(COUNTRIES).map(str.lower),
                          st.text(alphabet="ABCXYZQ", min_size=2, max_size=4)),
    "value": st.one_of(st.integers(0, 10 ** 13).map(lambda n: ("number", n)),
                       st.sampled_from(["c", ":", "12,3,4", "n/a", "1e999"]).map(lambda t: ("text", t))),
})


@given(rows=st.lists(ROW, min_size=1, max_size=5),
       month=st.tuples(st.integers(1850, 2150), st.integers(1, 12)))
@example(rows=[{"reporter": "xkx", "value": ("number", 5)}], month=(2024, 2))
@settings(max_examples=10)
def test_an_ingest_loads_or_quarantines_every_cell_with_its_reason(template_db, tmp_path_factory, rows, month):
    """Each generated cell is loaded with its value read right and its country in upper case, or quarantined with
    the reason that fits it; none is lost (read = loaded + quarantined)."""
    folder = tmp_path_factory.mktemp("ingest")
    db = _copy_db(template_db, folder)
    header_month = f"{month[0]:04d}-{month[1]:02d}"
    lines = []
    for i, row in enumerate(rows):
        kind, raw = row["value"]
        text = _formatted(Decimal(raw), ",", ".") if kind == "number" else raw
        lines.append(f"{row['reporter']};Point {i};P-{i};RUS;inbound;Persons;{text};\n")
    path = folder / "cells.csv"
    path.write_text(WIDE_HEADER.format(month=header_month) + "".join(lines), encoding="utf-8")
    con = work_db.open_work_db(db)
    try:
        (summary,) = ingest.ingest(con, [str(path)])
        loaded = {r[0]: r[1:] for r in con.execute(
            "select location_id, value, value_status, country_iso3 from crossings where source_id = ?",
            [summary["source_id"]]).fetchall()}
        quarantined = dict(con.execute(
            "select json_extract_string(raw_record, '$.crossing_code'), reasons from quarantine where source_id = ?",
            [summary["source_id"]]).fetchall())
    finally:
        con.close()
    assert summary["rows_read"] == summary["rows_loaded"] + summary["rows_quarantined"] == len(rows)
    first_day = date(*month, 1)
    for i, row in enumerate(rows):
        kind, raw = row["value"]
        code = row["reporter"].upper()
        expected = set()
        if code not in COUNTRIES + ["XKX"]:
            expected.add("unknown_country")
        if not date(1900, 1, 1) <= first_day <= date(2099, 12, 31):
            expected.add("date_out_of_range")
        if first_day > date.today():
            expected.add("future_period")
        if kind == "number" and raw > MAX_CROSSING_VALUE:
            expected.add("number_out_of_range")
        if kind == "text" and raw not in ("c", ":"):
            expected.add("unparseable_number")
        key = f"P-{i}"
        if expected:
            assert key in quarantined and expected <= set(quarantined[key]), (row, quarantined.get(key))
            continue
        assert key in loaded, (row, quarantined.get(key))
        value, status, country = loaded[key]
        assert country == code
        if kind == "number":
            assert (value, status) == (raw, "reported")
        else:
            assert value is None and status == {"c": "withheld_by_publisher", ":": "missing"}[raw]


# --- the CSV writer -----------------------------------------------------------------------------------------

TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40)


@given(texts=st.lists(TEXT, min_size=1, max_size=8))
@example(texts=["=1+1", "-2", "\r\n", '"', "a,b", "", " =x", "\ufeffbom"])
@settings(max_examples=60)
def test_any_text_reads_back_byte_exact_but_for_the_formula_guard(tmp_path_factory, texts):
    """Texts in a DuckDB file, written by the extracts' CSV writer, read back by Python's csv module: each is
    itself, or itself behind one apostrophe where it starts as a formula would; an empty text reads as empty."""
    folder = tmp_path_factory.mktemp("csv")
    con = duckdb.connect(str(folder / "t.duckdb"))
    try:
        con.execute("create table t (id integer, text varchar)")
        con.executemany("insert into t values (?, ?)", list(enumerate(texts)))
        exports.write_csv(con, "select * from t order by id", [], folder / "t.csv")
    finally:
        con.close()
    data = (folder / "t.csv").read_bytes()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    assert [r["id"] for r in rows] == [str(i) for i in range(len(texts))]
    for text, row in zip(texts, rows):
        assert row["text"] == ("'" + text if text.startswith(FORMULA_PREFIXES) else text)


# --- suppression ----------------------------------------------------------------------------------------------

K, P = 10, 20
MARGINS = (  # docs/policy.md, "Secondary suppression (crossings)": the totals a reader is assumed to know
    ("location_id", "period_start", "measure"),
    ("location_id", "direction", "period_start"),
    ("country_iso3", "neighbor_iso3", "direction", "period_start", "measure"),
    ("location_id", "direction", "measure", "year"),
    # the wider totals (one reporter here): a border's year, a country's month, a place's years, a reporter's month
    ("country_iso3", "neighbor_iso3", "direction", "measure", "year"),
    ("country_iso3", "direction", "period_start", "measure"),
    ("location_id", "direction", "measure"),
    ("period_start", "measure"),
)
BTS_HEADER = "Port Name,State,Port Code,Border,Date,Measure,Value,Latitude,Longitude\n"
MEASURES = ["Trucks", "Buses", "Pedestrians", "Trains"]
SUPPRESSION_POLICY = f"""
[policy]
name = "property test policy"

[[rule]]
id = "crossings-small"
dataset = "crossings"
action = "suppress_below"
fields = ["value"]
k = {K}
keep_zeros = true
p = {P}
accept_unprotectable = true
reason = "small counts"
"""

TABLE = st.tuples(st.integers(2, 4), st.integers(2, 4), st.integers(2, 3)).flatmap(
    lambda shape: st.tuples(st.just(shape), st.lists(
        st.one_of(st.integers(1, K - 1), st.integers(K, 300), st.integers(K, 300), st.just(None)),
        min_size=shape[0] * shape[1] * shape[2], max_size=shape[0] * shape[1] * shape[2])))


def _attack(cells: list[dict], all_unknown: bool = False) -> dict[str, str]:
    """The interval a reader of the release bounds each suppressed small count to, from the true total of every
    margin group of two or more cells and the published cells (counts never below 0; a publisher-withheld count
    enters the totals as 0, as in the audit's attacker model): linear programs per connected set of unknown cells.
    Returns the counts narrower than +-P % (at least +-1), or pinned, with their intervals. all_unknown: as if every cell were
    suppressed (what the margin totals alone give back)."""
    unknown = [i for i, c in enumerate(cells) if all_unknown or c["status"] != "reported"]
    column = {i: j for j, i in enumerate(unknown)}
    rows, b = [], []
    for margin in MARGINS:
        groups: dict[tuple, list[int]] = {}
        for i, c in enumerate(cells):
            groups.setdefault(tuple(c[m] for m in margin), []).append(i)
        for members in groups.values():
            hidden = [column[i] for i in members if i in column]
            if len(members) < 2 or not hidden:
                continue
            rows.append(hidden)
            b.append(sum(cells[i]["truth"] or 0 for i in members if i in column))
    if not unknown:
        return {}
    a = sparse.lil_matrix((len(rows), len(unknown)))
    for r, hidden in enumerate(rows):
        a[r, hidden] = 1.0
    a = a.tocsr()
    _, label = connected_components(sparse.bmat([[None, a.T], [a, None]], format="csr"), directed=False)
    found = {}
    for j, i in enumerate(unknown):
        v = cells[i]["truth"]
        if v is None or not 0 < v < K:
            continue
        same = np.flatnonzero(label[:len(unknown)] == label[j])
        cons = np.flatnonzero(np.isin(label[len(unknown):], label[j]))
        sub, rhs = a[cons][:, same], np.asarray(b, dtype=float)[cons]
        c = (same == j).astype(float)
        low = linprog(c, A_eq=sub, b_eq=rhs, bounds=(0, None), method="highs") if len(cons) else None
        high = linprog(-c, A_eq=sub, b_eq=rhs, bounds=(0, None), method="highs") if len(cons) else None
        lo = low.fun if low is not None and low.status == 0 else 0.0
        hi = -high.fun if high is not None and high.status == 0 else np.inf
        q = max(v * P / 100, 1.0)
        if lo > max(v - q, 0) + 1e-6 or hi < v + q - 1e-6:
            found[f"{cells[i]['location_id']} {cells[i]['period_start']} {cells[i]['measure']}"] = \
                f"{v} in [{lo:g}, {hi:g}]"
    return found


# The first example is the table that found a defect on the merged main: secondary suppression stopped two cells
# short of the audit's protection level and publish refused the release (USA-3301, Feb 2024 pedestrians). Protection
# now ends, if need be, by suppressing every cell linked to a failing one (protection.protect).
@given(table=TABLE)
@example(table=((4, 3, 3), [128, 44, 65, 7, 1, None, 6, 23, 25, None, 261, 1, 74, None, 8, None, 56, 50, 83, None,
                            None, 2, None, None, 8, None, 283, 2, 8, None, None, 8, 49, None, 6, None]))
@example(table=((2, 2, 2), [5, 40, 30, 50, 60, 70, 80, 90]))
@settings(max_examples=8)
def test_no_suppressed_small_count_is_narrowed_in_a_random_table(template_db, tmp_path_factory, table):
    """Ports x months x measures of random counts, some publisher-withheld ("(D)"), published by the real publish;
    every small count is suppressed, and the attack leaves each an interval of at least +-P % -- except the
    counts the release itself counts as unprotectable (the margin totals alone give them back)."""
    (ports, months, measures), values = table
    folder = tmp_path_factory.mktemp("suppress")
    db = _copy_db(template_db, folder)
    lines = []
    layout = [(p, m, s) for p in range(ports) for m in range(months) for s in range(measures)]
    for (p, m, s), value in zip(layout, values):
        code = f"{3300 + p:04d}"
        text = "(D)" if value is None else str(value)
        lines.append(f"Port {code},Vermont,{code},US-Canada Border,{calendar.month_abbr[m + 1]} 2024,"
                     f"{MEASURES[s]},{text},45.0,-7{p}.0\n")
    path = folder / "cells.csv"
    path.write_text(BTS_HEADER + "".join(lines), encoding="utf-8")
    policy = folder / "policy.toml"
    policy.write_text(SUPPRESSION_POLICY, encoding="utf-8")
    con = work_db.open_work_db(db)
    try:
        (summary,) = ingest.ingest(con, [str(path)])
    finally:
        con.close()
    assume(summary["rows_loaded"] == len(layout))
    os.environ["BORDERLENS_PUBLISH_DATE"] = "2025-06-30"
    try:
        result = release.publish(db, policy, folder / "release")
    finally:
        del os.environ["BORDERLENS_PUBLISH_DATE"]
    key = "reporter_iso3, location_id, direction, period_start, measure"
    truth = {tuple(r[:5]): r[5] for r in _rows(db, f"select {key}, value from crossings")}
    cells = []
    for r in _rows(folder / "release" / "borderlens.duckdb",
                   f"select {key}, country_iso3, neighbor_iso3, value, value_status from crossings"):
        cells.append({"location_id": r[1], "direction": r[2], "period_start": r[3], "measure": r[4],
                      "country_iso3": r[5], "neighbor_iso3": r[6], "year": r[3].year, "status": r[8],
                      "truth": truth[tuple(r[:5])], "published": r[7]})
        if cells[-1]["truth"] is not None and 0 < cells[-1]["truth"] < K:
            assert r[7] is None and r[8] == "suppressed", cells[-1]  # never published, never a zero
        if r[8] == "withheld_by_publisher":
            assert r[7] is None
    narrow = _attack(cells)
    # the only counts narrowed are those no suppression protects: narrowed with every cell suppressed too
    assert set(narrow) <= set(_attack(cells, all_unknown=True)), narrow
    assert len(narrow) <= result["notes"]["suppression_audit"]["unprotectable"]


def _rows(path: Path, text: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(text).fetchall()
    finally:
        con.close()
