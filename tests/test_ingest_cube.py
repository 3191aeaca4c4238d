"""The crossings cube (issue 10): dimensions in the key, routes and organisations, fiscal periods, migration of an
older database. Every figure expected here is computed from the input file with the csv module, or written by
hand; each file goes through the real CLI into a real DuckDB file."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

from cube_support import ingest_profiled, profile_mistake
from support import REPO, database_at_schema, ingest_json, query, run_cli, write

FRONTEX = (REPO / "sample_data" / "crossings"
           / "frontex_irregular_border_crossings_monthly_2009-01_2025-04.csv")


def test_frontex_loads_by_detection_and_reconciles(tmp_path: Path):
    with open(FRONTEX, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    per_month: dict[str, int] = defaultdict(int)
    for row in rows:
        per_month[row["t"]] += int(row["n"])
    db = tmp_path / "work.duckdb"
    [source] = ingest_json(db, FRONTEX)
    assert source["profile"] == "frontex-irregular-border-crossings"
    assert source["rows_read"] == len(rows) == source["rows_loaded"] + source["rows_quarantined"]
    assert source["rows_quarantined"] == 0  # the file has no bad row: every line is a route, type, code, month, n
    loaded = dict(query(db, "select strftime(period_start, '%Y-%m'), sum(value)::bigint from crossings "
                            "group by all"))
    assert loaded == per_month
    # nothing counted twice: one row per line of the file, each line once
    assert query(db, "select count(*), count(distinct source_line), min(source_line), max(source_line) "
                     "from crossings") == [(len(rows), len(rows), 2, len(rows) + 1)]
    # an agency reports a route: no reporter country, no country side
    assert query(db, "select distinct place_kind, reporter_iso3, reporter_org, country_iso3, measure "
                     "from crossings") == [("route", None, "Frontex", None, "irregular_border_crossings")]
    # the breakdown is kept per line: nationality (non-ISO codes kept as published) and border type
    by_line = {line: (dims["nationality"], dims["border_type"], route)
               for line, dims, route in query(db, "select source_line, dimensions, location_name from crossings")}
    for number, row in enumerate(rows, start=2):
        assert by_line[number] == (row["nat"], row["type"].lower(), row["route"])
    stateless = sum(1 for row in rows if row["nat"] == "STL")
    assert stateless > 0
    assert query(db, "select count(*) from crossings where dimensions['nationality'] = 'STL'") == [(stateless,)]


CUBE_PROFILE = """
[profile]
name = "test-cube"
dataset = "crossings"
title = "Synthetic (test): crossings by nationality and traveller category"
publisher = "Synthetic test publisher"
series = "test-cube"
synthetic = true

[detect]
columns = ["province", "category", "nat", "month", "persons"]

[dates]
formats = ["FY%Y %B"]
fiscal_year_start = 10

[fields]
place_kind = { value = "region" }
location_id = { column = "province", prefix = "CAN-" }
location_name = "province"
country_iso3 = { value = "CAN" }
reporter_iso3 = { value = "CAN" }
direction = { value = "inbound" }
period = "month"
period_granularity = { value = "month" }
measure = { value = "persons" }
value = "persons"

[dimensions]
nationality = { column = "nat", codes = "iso3166", total = "TOTAL" }
traveller_category = { column = "category", map = "categories", unmapped = "slug" }

[vocab.categories]
"Residents" = "residents"
"Visitors" = "visitors"
"""

# Labelled synthetic: two nationalities and a total in two categories, an exact repeat, a conflicting pair and a
# code outside ISO 3166 in a closed list. Lines are numbered from 2 (line 1 is the header).
CUBE_CSV = """province,category,nat,month,persons
ON,Residents,USA,FY2021 March,120
ON,Residents,MEX,FY2021 March,15
ON,Visitors,USA,FY2021 March,300
ON,Residents,TOTAL,FY2021 March,135
ON,Residents,USA,FY2021 October,80
ON,Residents,USA,FY2021 October,80
ON,Visitors,MEX,FY2021 October,7
ON,Visitors,MEX,FY2021 October,9
ON,Visitors,ZZZ,FY2021 March,4
"""


def test_breakdown_is_no_duplicate_but_a_real_duplicate_is(tmp_path: Path):
    db, source = ingest_profiled(tmp_path, CUBE_PROFILE, CUBE_CSV)
    assert (source["rows_read"], source["rows_loaded"], source["rows_quarantined"]) == (9, 5, 4)
    quarantined = dict(query(db, "select line_no, reasons from quarantine order by line_no"))
    assert quarantined == {7: ["exact_duplicate"], 8: ["conflicting_duplicate"], 9: ["conflicting_duplicate"],
                           10: ["unknown_nationality_code"]}
    rows = query(db, "select source_line, place_kind, period_start::varchar, period_label, dimensions, value "
                     "from crossings order by source_line")
    assert rows == [
        (2, "region", "2021-03-01", "FY2021 March", {"nationality": "USA", "traveller_category": "residents"}, 120.0),
        (3, "region", "2021-03-01", "FY2021 March", {"nationality": "MEX", "traveller_category": "residents"}, 15.0),
        (4, "region", "2021-03-01", "FY2021 March", {"nationality": "USA", "traveller_category": "visitors"}, 300.0),
        # the publisher's own total, kept as a cell of its own and never taken for a nationality
        (5, "region", "2021-03-01", "FY2021 March", {"nationality": "_total", "traveller_category": "residents"},
         135.0),
        # the US fiscal year 2021 starts in October 2020
        (6, "region", "2020-10-01", "FY2021 October", {"nationality": "USA", "traveller_category": "residents"},
         80.0),
    ]


def test_unknown_dimension_key_is_one_line(tmp_path: Path):
    line, profile = profile_mistake(tmp_path, CUBE_PROFILE.replace('codes = "iso3166"', 'codez = "iso3166"'), CUBE_CSV,
                                    profile_name="cube.toml", data_name="cube.csv")
    assert str(profile) in line and "[dimensions] nationality" in line and "codez" in line


def test_fiscal_start_out_of_range_is_one_line(tmp_path: Path):
    line, _ = profile_mistake(tmp_path, CUBE_PROFILE.replace("fiscal_year_start = 10", "fiscal_year_start = 13"),
                              CUBE_CSV, profile_name="cube.toml", data_name="cube.csv")
    assert "fiscal_year_start" in line


def test_database_of_schema_6_stays_readable(tmp_path: Path):
    """A working database made before the cube: its rows become crossing points without a breakdown, and a newer
    file of the same series replaces them by the same key as before."""
    db = tmp_path / "work.duckdb"
    con = database_at_schema(db, 6)
    con.execute("insert into crossings (location_id, country_iso3, direction, period_start, period_granularity, "
                "measure, value, value_status, source_id, source_line) values "
                "('USA-0104', 'USA', 'inbound', '2020-01-01', 'month', 'trucks', 5, 'reported', 'old:1', 2)")
    con.close()
    run_cli("ingest", FRONTEX, "--db", db)
    assert query(db, "select place_kind, dimensions, period_label, value from crossings "
                     "where source_id = 'old:1'") == [("crossing_point", {}, None, 5.0)]
    kinds = Counter(dict(query(db, "select place_kind, count(*) from crossings group by all")))
    assert kinds["crossing_point"] == 1 and kinds["route"] > 0


def test_publisher_total_dropped_when_the_profile_says_so(tmp_path: Path):
    db, source = ingest_profiled(tmp_path, CUBE_PROFILE.replace('total = "TOTAL"', 'total = "TOTAL", totals = "drop"'),
                                 CUBE_CSV)
    assert (source["rows_read"], source["rows_loaded"], source["rows_quarantined"]) == (9, 4, 5)
    assert query(db, "select reasons from quarantine where line_no = 5") == [(["publisher_total_dropped"],)]
    assert query(db, "select count(*) from crossings where dimensions['nationality'] = '_total'") == [(0,)]


# Labelled synthetic layouts of the "Done when" (tests/fixtures/cube/*_synthetic.*): each loads through its
# profile alone and reconciles; the expected sums are computed here from the CSV text, the bad lines named by hand.
CUBE = REPO / "tests" / "fixtures" / "cube"
MONTHS = {"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10,
          "NOV": 11, "DEC": 12}


def _load(tmp_path: Path, name: str) -> tuple[Path, dict, list[dict]]:
    db = tmp_path / "work.duckdb"
    [source] = ingest_json(db, CUBE / f"{name}.csv", profile=str(CUBE / f"{name}.toml"))
    delimiter = ";" if "wide" in name else ","
    with open(CUBE / f"{name}.csv", newline="", encoding="utf-8") as handle:
        rows = [dict(row, _line=number) for number, row in enumerate(csv.DictReader(handle, delimiter=delimiter),
                                                                       start=2)]
    return db, source, rows


def _sums(db: Path) -> dict[str, float]:
    return dict(query(db, "select period_start::varchar, sum(value) from crossings group by all"))


def test_fiscal_month_layout_with_four_dimensions_reconciles(tmp_path: Path):
    db, source, rows = _load(tmp_path, "encounters_fiscal_synthetic")
    bad = {14}  # NARNIA is no ISO 3166 country and not among the profile's open codes
    assert source["rows_read"] == len(rows) == source["rows_loaded"] + source["rows_quarantined"]
    assert dict(query(db, "select line_no, reasons from quarantine")) == {14: ["unknown_nationality_code"]}
    expected: dict[str, float] = defaultdict(float)
    for row in rows:
        if row["_line"] in bad:
            continue
        fiscal_year, month = row["Fiscal Month"].removeprefix("FY").split()
        year = int(fiscal_year) - (1 if MONTHS[month] >= 10 else 0)
        expected[f"{year}-{MONTHS[month]:02d}-01"] += int(row["Encounter Count"])
    assert _sums(db) == expected
    breakdowns = {(r["Component"], r["Title of Authority"], r["Demographic"], r["Citizenship"])
                  for r in rows if r["_line"] not in bad}
    assert query(db, "select count(distinct dimensions), count(*) from crossings") == [(len(breakdowns), 12)]
    assert query(db, "select dimensions['nationality'] from crossings where source_line = 7") == [("OTHER",)]


def test_province_traveller_layout_reconciles_and_keeps_withheld(tmp_path: Path):
    db, source, rows = _load(tmp_path, "travellers_province_synthetic")
    assert source["rows_read"] == len(rows) == source["rows_loaded"] + source["rows_quarantined"]
    assert dict(query(db, "select line_no, reasons from quarantine")) == {14: ["negative_count"]}  # Yukon, -5
    expected: dict[str, float] = defaultdict(float)
    for row in rows:
        if row["_line"] != 14 and row["Travellers"] != "x":
            expected[row["Month"] + "-01"] += int(row["Travellers"])
    assert _sums(db) == expected
    # withheld by the publisher: no value, never zero
    assert query(db, "select value, value_status, region_code from crossings where source_line = 8") == [
        (None, "withheld_by_publisher", "CA-QC")]


def test_yearly_wide_layout_by_route_leaves_the_total_column_out(tmp_path: Path):
    db, source, rows = _load(tmp_path, "routes_yearly_wide_synthetic")
    years = ["2021", "2022", "2023"]
    assert source["rows_read"] == len(rows) * len(years) == source["rows_loaded"] + source["rows_quarantined"]
    assert source["rows_quarantined"] == 0
    expected: dict[str, float] = defaultdict(float)
    for row in rows:
        present = [int(row[y].replace(".", "")) for y in years if row[y] not in ("", "c")]
        for year in years:
            if row[year] not in ("", "c"):
                expected[f"{year}-01-01"] += int(row[year].replace(".", ""))
        if len(present) == len(years):  # the publisher's total is its own sum of the years: not loaded again
            assert int(row["Total"].replace(".", "")) == sum(present)
    assert _sums(db) == expected
    assert query(db, "select count(*) from crossings where period_label not in ('2021', '2022', '2023')") == [(0,)]
    assert query(db, "select distinct place_kind, reporter_iso3, country_iso3 from crossings") == [
        ("route", None, None)]


def test_a_new_version_replaces_and_revises_cell_by_cell(tmp_path: Path):
    """A second version of the series revises one nationality's figure: only that cell's value changes, the
    revision names its breakdown, and no cell of another breakdown is dropped or doubled."""
    profile = write(tmp_path / "cube.toml", CUBE_PROFILE)
    first = write(tmp_path / "v1.csv", "province,category,nat,month,persons\n"
                                       "ON,Residents,USA,FY2021 March,120\n"
                                       "ON,Residents,MEX,FY2021 March,15\n")
    db = tmp_path / "work.duckdb"
    ingest_json(db, first, profile=str(profile))
    second = write(tmp_path / "v2.csv", "province,category,nat,month,persons\n"
                                        "ON,Residents,USA,FY2021 March,120\n"
                                        "ON,Residents,MEX,FY2021 March,16\n")
    ingest_json(db, second, profile=str(profile))
    assert query(db, "select dimensions['nationality'], value from crossings order by 1") == [
        ("MEX", 16.0), ("USA", 120.0)]
    assert query(db, "select record_key, old_value, new_value from revisions") == [
        ("CAN|region|CAN-ON|inbound|2021-03-01|month|persons|{nationality=MEX, traveller_category=residents}",
         "15.0", "16.0")]


def test_profile_mistakes_of_the_cube_are_one_line(tmp_path: Path):
    data = write(tmp_path / "cube.csv", CUBE_CSV)
    notices = (REPO / "data_pipeline" / "profiles" / "borderlens-exercise-notices-csv.toml").read_text()
    cases = [
        (CUBE_PROFILE.replace('place_kind = { value = "region" }', 'place_kind = { value = "regoin" }'),
         "place_kind is 'regoin'"),
        (notices + '\n[dimensions]\nnationality = "nat"\n', "[dimensions] only applies to the crossings dataset"),
    ]
    for text, words in cases:
        line, profile = profile_mistake(tmp_path, text, data)
        assert str(profile) in line and words in line, line
