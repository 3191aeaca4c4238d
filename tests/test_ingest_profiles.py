"""Golden tests: one small input per built-in profile, loaded through the real CLI into a real DuckDB file,
compared with expected rows written by hand from the input."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from support import REPO, ingest_json, query

FIXTURES = REPO / "tests" / "fixtures"
GOLDEN = REPO / "tests" / "golden"
CROSSING_COLUMNS = ("source_line, location_id, location_name, region_code, region_original, country_iso3, "
                    "neighbor_iso3, reporter_iso3, direction, period_start, period_granularity, measure, "
                    "measure_original, value, value_status, lat, lon")


def _same(expected: str, actual) -> bool:
    if expected == "":
        return actual is None
    if isinstance(actual, float):
        return math.isclose(float(expected), actual, abs_tol=1e-6)
    return expected == str(actual)


@pytest.mark.parametrize("name", ["bts_2025_layout", "bts_2019_layout", "bts_spreadsheet_layout",
                                  "bts_no_coordinates_layout"])
def test_bts_layouts_match_golden(tmp_path: Path, name: str):
    db = tmp_path / "work.duckdb"
    [source] = ingest_json(db, FIXTURES / f"{name}.csv")  # the layout is detected, not named
    assert source["profile"] == "bts-border-crossings"
    with open(GOLDEN / f"{name}.csv", newline="", encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    rows = query(db, f"select {CROSSING_COLUMNS} from crossings order by source_line")
    columns = [c.strip() for c in CROSSING_COLUMNS.split(",")]
    assert len(rows) == len(expected)
    for want, got in zip(expected, rows):
        got = dict(zip(columns, got))
        mismatches = {k: (want[k], got[k]) for k in columns if not _same(want[k], got[k])}
        assert not mismatches, f"line {want['source_line']}: {mismatches}"
    assert source["rows_read"] == source["rows_loaded"] == len(expected)


def test_eu_wide_layout_unpivots_months_and_reads_flags(tmp_path: Path):
    db = tmp_path / "work.duckdb"
    [source] = ingest_json(db, FIXTURES / "eu_wide_layout.csv")
    assert source["profile"] == "eu-crossings-wide"
    # 2 lines x 3 month columns; the total column is not a value column
    assert (source["rows_read"], source["rows_loaded"], source["rows_quarantined"]) == (6, 4, 2)
    rows = query(db, "select direction, measure, measure_original, period_start::varchar, value, value_status, "
                     "location_id, reporter_iso3, neighbor_iso3, source_line "
                     "from crossings order by measure, period_start")
    assert rows == [
        ("outbound", "persons", "Persons", "2024-01-01", 12345.0, "reported", "FIN-VAALIMAA", "FIN", "RUS", 2),
        ("outbound", "persons", "Persons", "2024-02-01", None, "withheld_by_publisher", "FIN-VAALIMAA", "FIN", "RUS", 2),
        ("outbound", "persons", "Persons", "2024-03-01", None, "missing", "FIN-VAALIMAA", "FIN", "RUS", 2),
        ("inbound", "trucks", "Trucks", "2024-01-01", 1002.0, "reported", "FIN-VAALIMAA", "FIN", "RUS", 3),
    ]
    quarantined = query(db, "select line_no, reasons, json_extract_string(raw_record, '$._column') "
                            "from quarantine order by 3")
    assert quarantined == [(3, ["unparseable_number"], "2024-02"), (3, ["negative_count"], "2024-03")]


def test_notice_template_csv(tmp_path: Path):
    db = tmp_path / "work.duckdb"
    [source] = ingest_json(db, FIXTURES / "notices_template.csv")
    assert source["profile"] == "borderlens-exercise-notices-csv"
    assert (source["rows_read"], source["rows_loaded"], source["rows_quarantined"]) == (3, 2, 1)
    rows = query(db, "select notice_id, notifying_iso3, participating_iso3, notified_on::varchar, "
                     "start_date::varchar, end_date::varchar, troops, troops_status, battle_tanks, "
                     "battle_tanks_status, sorties, sorties_status, airborne_amphibious, observers_invited, "
                     "observers_invited_status, lat, lon, location_status, location_precision "
                     "from exercise_notices order by notice_id")
    assert rows == [
        ("FIX-1", "EST", ["EST", "LVA"], "2025-01-10", "2025-03-01", "2025-03-10", 9500, "reported", None,
         "withheld_by_publisher", None, "missing", False, True, "reported", 58.38, 26.72, "reported", "exact"),
        ("FIX-2", "FIN", ["FIN"], "2025-04-20", "2025-05-05", "2025-05-09", 3600, "reported", 0, "reported",
         30, "reported", True, None, "withheld_by_publisher", None, None, "withheld_by_publisher", "region"),
    ]
    assert query(db, "select line_no, reasons from quarantine") == [(4, ["end_before_start"])]


def test_notice_template_json(tmp_path: Path):
    db = tmp_path / "work.duckdb"
    [source] = ingest_json(db, FIXTURES / "notices_template.json")
    assert source["profile"] == "borderlens-exercise-notices-json"
    rows = query(db, "select notice_id, participating_iso3, troops, battle_tanks_status, artillery_status, "
                     "json_extract_string(area_geojson, '$.type'), lat, lon from exercise_notices")
    assert rows == [("FJ-1", ["LTU", "POL"], 14000, "withheld_by_publisher", "missing", "Polygon", 54.98, 25.77)]
    [(line, reasons, raw)] = query(db, "select line_no, reasons, json_extract_string(raw_record, '$.designation') "
                                       "from quarantine")
    assert (line, reasons, raw) == (2, ["unknown_country"], "Bad Country")
    assert query(db, "select synthetic from sources") == [(True,)]


def test_project_templates_csv_and_geojson(tmp_path: Path):
    db = tmp_path / "work.duckdb"
    sources = ingest_json(db, FIXTURES / "projects_template.csv", FIXTURES / "projects_template.geojson")
    assert [s["profile"] for s in sources] == ["borderlens-infrastructure-projects-csv",
                                               "borderlens-infrastructure-projects-geojson"]
    rows = query(db, "select project_id, kind, status, countries_iso3, funders, funders_status, budget, "
                     "budget_status, currency, actual_end::varchar, geometry_type, lat, lon "
                     "from infrastructure_projects order by project_id")
    assert rows == [
        ("FG-1", "road", "planned", ["LTU"], ["Lithuania"], "reported", 2500000.0, "reported", "EUR", None,
         "LineString", None, None),
        ("FP-1", "bridge", "under_construction", ["EST", "RUS"], ["EU", "Estonia"], "reported", 12500000.0,
         "reported", "EUR", None, "Point", 59.37, 28.2),
        ("FP-2", "barrier", "completed", ["POL", "BLR"], None, "withheld_by_publisher", None,
         "withheld_by_publisher", "PLN", "2022-06-30", "Point", 53.1, 23.9),
    ]
    quarantined = query(db, "select s.profile, q.line_no, q.reasons from quarantine q join sources s using "
                            "(source_id) order by 1, 2")
    assert quarantined == [("borderlens-infrastructure-projects-csv", 4, ["unknown_kind"]),
                           ("borderlens-infrastructure-projects-geojson", 2, ["coordinates_out_of_range"])]
