"""The crossings cube (issue 10): dimensions in the key, routes and organisations, fiscal periods, migration of an
older database. Every figure expected here is computed from the input file with the csv module, or written by
hand; each file goes through the real CLI into a real DuckDB file."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

import duckdb

from support import REPO, ingest_json, one_line_error, query, run_cli, write

FRONTEX = (REPO / "sample_data" / "crossings" / "routes"
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
    profile = write(tmp_path / "cube.toml", CUBE_PROFILE)
    data = write(tmp_path / "cube.csv", CUBE_CSV)
    db = tmp_path / "work.duckdb"
    [source] = ingest_json(db, data, profile=str(profile))
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
    profile = write(tmp_path / "cube.toml", CUBE_PROFILE.replace('codes = "iso3166"', 'codez = "iso3166"'))
    data = write(tmp_path / "cube.csv", CUBE_CSV)
    result = run_cli("ingest", data, "--db", tmp_path / "work.duckdb", "--profile", profile, check=False)
    line = one_line_error(result)
    assert str(profile) in line and "[dimensions] nationality" in line and "codez" in line


def test_fiscal_start_out_of_range_is_one_line(tmp_path: Path):
    profile = write(tmp_path / "cube.toml", CUBE_PROFILE.replace("fiscal_year_start = 10", "fiscal_year_start = 13"))
    data = write(tmp_path / "cube.csv", CUBE_CSV)
    result = run_cli("ingest", data, "--db", tmp_path / "work.duckdb", "--profile", profile, check=False)
    assert "fiscal_year_start" in one_line_error(result)


def test_database_of_schema_6_stays_readable(tmp_path: Path):
    """A working database made before the cube: its rows become crossing points without a breakdown, and a newer
    file of the same series replaces them by the same key as before."""
    db = tmp_path / "work.duckdb"
    con = duckdb.connect(str(db))
    con.execute((REPO / "sql" / "meta" / "schema_version_table.sql").read_text())
    for number in range(1, 7):
        [path] = sorted((REPO / "sql" / "schema").glob(f"{number:03d}_*.sql"))
        con.execute(path.read_text())
        con.execute("insert into schema_version (version, file_name) values (?, ?)", [number, path.name])
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
    profile = write(tmp_path / "cube.toml", CUBE_PROFILE.replace('total = "TOTAL"', 'total = "TOTAL", totals = "drop"'))
    data = write(tmp_path / "cube.csv", CUBE_CSV)
    db = tmp_path / "work.duckdb"
    [source] = ingest_json(db, data, profile=str(profile))
    assert (source["rows_read"], source["rows_loaded"], source["rows_quarantined"]) == (9, 4, 5)
    assert query(db, "select reasons from quarantine where line_no = 5") == [(["publisher_total_dropped"],)]
    assert query(db, "select count(*) from crossings where dimensions['nationality'] = '_total'") == [(0,)]
