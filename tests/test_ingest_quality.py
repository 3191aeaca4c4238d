"""Validation and bookkeeping of the ingest: every quarantine reason, reconciliation against the raw file,
idempotence and revisions, all on real DuckDB files through the real CLI."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path


from support import SAMPLE, ingest_json, query, run_cli, write

BTS_HEADER = "Port Name,State,Port Code,Border,Date,Measure,Value,Latitude,Longitude,Point\n"


def _quarantine_reasons(db: Path) -> dict[int, list[str]]:
    return {line: reasons for line, reasons in query(db, "select line_no, reasons from quarantine")}


def test_each_crossing_quarantine_reason(tmp_path: Path):
    bad = write(tmp_path / "bad.csv", BTS_HEADER + "\n".join([
        "Jackman,Maine,0104,US-Canada Border,Jan 2024,Trucks,6556,45.806,-70.397,POINT (-70.396722 45.805661)",
        "Jackman,Maine,0104,US-Canada Border,Janvier 2024,Trucks,10,,,",                 # 3 unparseable_date
        "Jackman,Maine,0104,US-Canada Border,Feb 2024,Trucks,lots,,,",                    # 4 unparseable_number
        "Jackman,Maine,0104,US-Canada Border,Mar 2024,Trucks,-4,,,",                      # 5 negative_count
        "Jackman,Maine,0104,US-Canada Border,Apr 2024,Trucks,5,145.8,-70.4,",             # 6 out of range
        "Jackman,Maine,0104,US-Canada Border,May 2024,Trucks,5,-70.4,45.8,",              # 7 swapped
        "Jackman,Maine,0104,US-Atlantis Border,Jun 2024,Trucks,5,,,",                     # 8 unknown country
        "Jackman,Maine,0104,US-Canada Border,Jan 2024,Trucks,6556,45.806,-70.397,POINT (-70.396722 45.805661)",
        # 9 above: line 2 again, exact_duplicate (line 2 loads)
        "Jackman,Maine,0104,US-Canada Border,Jul 2024,Trucks,5,,,,stray",                 # 10 too many columns
        "Jackman,Maine,0104,US-Canada Border,Aug 2024",                                   # 11 missing columns
        "Jackman,Maine,0104,US-Canada Border,,Trucks,5,,,",                               # 12 missing date
        "Jackman,Maine,0104,US-Canada Border,Sep 2024,Trucks,5,45.8,west,",               # 13 bad coordinate
        "Jackman,Maine,0104,US-Canada Border,Oct 2024,Trucks,0,,,",                       # 14 and 15: two figures
        "Jackman,Maine,0104,US-Canada Border,Oct 2024,Trucks,412,,,",                     # for one key, neither loads
    ]) + "\n")
    [source] = ingest_json(tmp_path / "w.duckdb", bad)
    assert source["rows_read"] == 14
    assert source["rows_loaded"] == 1
    assert source["rows_quarantined"] == 13
    reasons = _quarantine_reasons(tmp_path / "w.duckdb")
    assert reasons == {
        3: ["unparseable_date"], 4: ["unparseable_number"], 5: ["negative_count"],
        6: ["coordinates_out_of_range"], 7: ["coordinates_swapped"], 8: ["unknown_neighbor_country"],
        9: ["exact_duplicate"], 10: ["too_many_columns"], 11: ["missing_columns"], 12: ["missing_date"],
        13: ["unparseable_coordinate"], 14: ["conflicting_duplicate"], 15: ["conflicting_duplicate"],
    }
    assert query(tmp_path / "w.duckdb", "select period_start::varchar, value from crossings") == [("2024-01-01", 6556)]
    raw = dict(query(tmp_path / "w.duckdb", "select line_no, raw_record::varchar from quarantine"))
    assert json.loads(raw[4])["Value"] == "lots"          # the publisher's own column names
    assert json.loads(raw[10])["_extra_values"] == ["stray"]


def test_publisher_withheld_values_are_null_never_zero(tmp_path: Path):
    data = write(tmp_path / "w.csv", BTS_HEADER + "\n".join([
        "Jackman,Maine,0104,US-Canada Border,Jan 2024,Trucks,(D),,,",
        "Jackman,Maine,0104,US-Canada Border,Feb 2024,Trucks,REDACTED,,,",
        "Jackman,Maine,0104,US-Canada Border,Mar 2024,Trucks,,,,",
        "Jackman,Maine,0104,US-Canada Border,Apr 2024,Trucks,0,,,",
    ]) + "\n")
    ingest_json(tmp_path / "w.duckdb", data)
    rows = query(tmp_path / "w.duckdb", "select period_start::varchar, value, value_status from crossings "
                                        "order by period_start")
    assert rows == [("2024-01-01", None, "withheld_by_publisher"), ("2024-02-01", None, "withheld_by_publisher"),
                    ("2024-03-01", None, "missing"), ("2024-04-01", 0.0, "reported")]


def test_each_notice_and_project_reason(tmp_path: Path):
    header = ("notice_id,designation,purpose,notifying_iso3,participating_iso3,notified_on,start_date,end_date,"
              "troops,battle_tanks,acvs,artillery,sorties,helicopters,airborne_amphibious,observers_invited,"
              "in_annual_calendar,area_name,lon,lat,area_geojson,location_precision,synthetic,notes\n")
    ok = "2025-01-10,2025-03-01,2025-03-10"
    notices = write(tmp_path / "n.csv", header + "\n".join([
        f"N1,A,p,FIN,FIN,{ok},100,0,0,0,0,0,false,false,false,a,25,61,,exact,true,",
        "N2,A,p,FIN,FIN,2025-01-10,2025-03-10,2025-03-01,100,0,0,0,0,0,false,false,false,a,25,61,,exact,true,",
        "N3,A,p,FIN,FIN,10/01/2025,2025-03-01,2025-03-10,100,0,0,0,0,0,false,false,false,a,25,61,,exact,true,",
        f"N4,A,p,XXX,FIN,{ok},100,0,0,0,0,0,false,false,false,a,25,61,,exact,true,",
        f"N5,A,p,FIN,FIN,{ok},-100,0,0,0,0,0,false,false,false,a,25,61,,exact,true,",
        f"N6,A,p,FIN,FIN,{ok},about 5000,0,0,0,0,0,false,false,false,a,25,61,,exact,true,",
        f"N7,A,p,FIN,FIN,{ok},100,0,0,0,0,0,false,false,false,a,61.5,25.5,,exact,true,",
        f"N1,A,p,FIN,FIN,{ok},100,0,0,0,0,0,false,false,false,a,25,61,,exact,true,",   # 9: line 2 again
        f"N8,A,p,FIN,FIN,{ok},100,0,0,0,0,0,perhaps,false,false,a,25,61,,exact,true,",
        f'N9,A,p,FIN,FIN,{ok},100,0,0,0,0,0,false,false,false,a,25,61,"{{""type"": ""Blob""}}",exact,true,',
        f"N10,A,p,FIN,FIN,{ok},100,0,0,0,0,0,false,false,false,a,25,161,,exact,true,",
        f"N11,A,p,FIN,FIN,{ok},100,0,0,0,0,0,false,false,false,a,25,61,not json,exact,true,",
        f"N12,A,p,FIN,FIN,{ok},100,0,0,0,0,0,false,false,false,a,east,61,,exact,true,",
        f"N13,A,p,FIN,FIN,{ok},100,0,0,0,0,0,false,false,false,a,25,61,,exact,true,",   # 15 and 16: one notice
        f"N13,A,p,FIN,FIN,{ok},9100,0,0,0,0,0,false,false,false,a,25,61,,exact,true,",  # told two ways
    ]) + "\n")
    [source] = ingest_json(tmp_path / "w.duckdb", notices)
    assert (source["rows_read"], source["rows_loaded"], source["rows_quarantined"]) == (15, 1, 14)
    assert _quarantine_reasons(tmp_path / "w.duckdb") == {
        3: ["end_before_start"], 4: ["unparseable_date"], 5: ["unknown_country"], 6: ["negative_count"],
        7: ["unparseable_number"], 8: ["coordinates_swapped"], 9: ["exact_duplicate"],
        10: ["unparseable_boolean"], 11: ["invalid_geometry"], 12: ["coordinates_out_of_range"],
        13: ["invalid_geometry"], 14: ["unparseable_coordinate"], 15: ["conflicting_duplicate"],
        16: ["conflicting_duplicate"],
    }
    assert query(tmp_path / "w.duckdb", "select notice_id, troops from exercise_notices") == [("N1", 100)]


def test_a_project_with_an_unparseable_coordinate_is_quarantined(tmp_path: Path):
    """No geometry column in the projects CSV template: the coordinate check must still run."""
    header = ("project_id,name,kind,status,country_iso3,countries_iso3,funders,budget,currency,planned_start,"
              "planned_end,actual_start,actual_end,lon,lat,location_precision,description,synthetic\n")
    rest = "USA;MEX,Fund,100,USD,2023-04-01,2026-12-31,,"
    projects = write(tmp_path / "p.csv", header + "\n".join([
        f"P1,Bridge,bridge,planned,USA,{rest},-99.5,27.5,exact,d,true",
        f"P2,Bridge,bridge,planned,USA,{rest},east,27.5,exact,d,true",
    ]) + "\n")
    [source] = ingest_json(tmp_path / "w.duckdb", projects)
    assert (source["rows_read"], source["rows_loaded"], source["rows_quarantined"]) == (2, 1, 1)
    assert _quarantine_reasons(tmp_path / "w.duckdb") == {3: ["unparseable_coordinate"]}


def _file_sums(path: Path) -> dict[str, int]:
    sums: dict[str, int] = defaultdict(int)
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            sums[row["Measure"]] += int(row["Value"].replace(",", "")) if row["Value"].strip().lstrip("-").replace(",", "").isdigit() else 0
    return dict(sums)


def test_bts_slice_reconciles_per_measure(tmp_path: Path):
    """Per original measure: loaded values + quarantined values = the values in the file (summed here with
    Python's csv module, independently of DuckDB)."""
    db = tmp_path / "w.duckdb"
    files = sorted((SAMPLE / "crossings").glob("bts_*.csv"))
    sources = ingest_json(db, *files)
    for source, path in zip(sources, files):
        assert source["rows_read"] == source["rows_loaded"] + source["rows_quarantined"]
        with open(path, newline="", encoding="utf-8") as handle:
            assert source["rows_read"] == sum(1 for _ in csv.DictReader(handle))
        loaded = dict(query(db, "select measure_original, sum(value)::bigint from crossings where source_id = ? "
                                "group by 1", [source["source_id"]]))
        quarantined = dict(query(db, "select raw_record->>'Measure', sum(try_cast(raw_record->>'Value' as bigint)) "
                                     "from quarantine where source_id = ? group by 1", [source["source_id"]]))
        file_sums = _file_sums(path)
        for measure, total in file_sums.items():
            assert (loaded.get(measure) or 0) + (quarantined.get(measure) or 0) == total, measure
    # no key counted twice
    assert query(db, "select count(*) from (select reporter_iso3, location_id, direction, period_start, measure "
                     "from crossings group by all having count(*) > 1)") == [(0,)]


def test_same_file_twice_changes_nothing(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    path = SAMPLE / "crossings" / "bts_border_crossing_entry_data_2019_insight_sample.csv"
    first = ingest_json(db, path)
    snapshot = query(db, "select count(*), sum(value) from crossings") + query(db, "select count(*) from sources")
    second = ingest_json(db, path)
    assert first[0]["status"] == "loaded" and second[0]["status"] == "unchanged"
    assert second[0]["source_id"] == first[0]["source_id"]
    assert query(db, "select count(*), sum(value) from crossings") + query(db, "select count(*) from sources") \
        == snapshot
    assert query(db, "select count(*) from revisions") == [(0,)]


def test_republication_records_revisions_and_keeps_newest(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    v1 = write(tmp_path / "v1.csv", BTS_HEADER + "\n".join([
        "Jackman,Maine,0104,US-Canada Border,Jan 2024,Trucks,6556,,,",
        "Jackman,Maine,0104,US-Canada Border,Feb 2024,Trucks,6000,,,",
    ]) + "\n")
    ingest_json(db, v1)
    v2 = write(tmp_path / "v2.csv", BTS_HEADER + "\n".join([
        "Jackman,Maine,0104,US-Canada Border,Jan 2024,Trucks,6556,,,",
        "Jackman,Maine,104,US-Canada Border,Feb 2024,Trucks,6100,,,",     # revised, code unpadded this time
        "Jackman,Maine,0104,US-Canada Border,Mar 2024,Trucks,5900,,,",
    ]) + "\n")
    [second] = ingest_json(db, v2)
    assert second["status"] == "loaded"
    assert query(db, "select version from sources order by version") == [(1,), (2,)]
    assert query(db, "select record_key, field, old_value, new_value, old_version, new_version from revisions") == [
        ("USA|USA-0104|inbound|2024-02-01|month|trucks", "value", "6000.0", "6100.0", 1, 2)]
    assert query(db, "select period_start::varchar, value from crossings order by 1") == [
        ("2024-01-01", 6556.0), ("2024-02-01", 6100.0), ("2024-03-01", 5900.0)]


def test_notice_revision_is_recorded_per_field(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    header = ("notice_id,designation,purpose,notifying_iso3,participating_iso3,notified_on,start_date,end_date,"
              "troops,battle_tanks,acvs,artillery,sorties,helicopters,airborne_amphibious,observers_invited,"
              "in_annual_calendar,area_name,lon,lat,area_geojson,location_precision,synthetic,notes\n")
    row = "N1,A,p,FIN,FIN,2025-01-10,2025-03-01,2025-03-10,{troops},0,0,0,0,0,false,false,false,a,25,61,,exact,true,\n"
    ingest_json(db, write(tmp_path / "a.csv", header + row.format(troops=9000)))
    ingest_json(db, write(tmp_path / "b.csv", header + row.format(troops=12000)))
    assert query(db, "select record_key, field, old_value, new_value from revisions") == [
        ("N1", "troops", "9000", "12000")]
    assert query(db, "select troops from exercise_notices") == [(12000,)]


def test_unchanged_file_is_not_read_and_same_size_new_content_is_loaded(tmp_path: Path):
    """A file of a size seen before is hashed first: unchanged, it is never read; changed, it loads as usual."""
    db = tmp_path / "w.duckdb"
    v1 = write(tmp_path / "v.csv", BTS_HEADER + "Jackman,Maine,0104,US-Canada Border,Jan 2024,Trucks,6556,,,\n")
    timings = {"BORDERLENS_TIMINGS": "1"}
    first = run_cli("ingest", v1, "--db", db, "--json", env=timings)
    assert "timing read" in first.stderr  # the positive control: a new file is read
    again = run_cli("ingest", v1, "--db", db, "--json", env=timings)
    assert json.loads(again.stdout)["sources"][0]["status"] == "unchanged" and "timing read" not in again.stderr
    v2 = write(tmp_path / "v.csv", BTS_HEADER + "Jackman,Maine,0104,US-Canada Border,Jan 2024,Trucks,6557,,,\n")
    changed = run_cli("ingest", v2, "--db", db, "--json", env=timings)
    [result] = json.loads(changed.stdout)["sources"]
    assert result["status"] == "loaded" and "timing read" in changed.stderr
    assert query(db, "select value from crossings") == [(6557.0,)]
    assert [(float(a), float(b)) for a, b in query(db, "select old_value, new_value from revisions")] == [(6556, 6557)]


def test_a_cell_beyond_the_named_columns_is_kept_in_quarantine(tmp_path: Path):
    """A header that ends in a comma leaves its last column unnamed: a cell there is not the publisher's data as
    described, and was silently dropped; the row now waits in quarantine with the cell in its raw record."""
    data = write(tmp_path / "stray.csv", BTS_HEADER.replace("\n", ",\n") + "\n".join([
        "Jackman,Maine,0104,US-Canada Border,Jan 2024,Trucks,5,,,,see note 4",
        "Jackman,Maine,0104,US-Canada Border,Feb 2024,Trucks,6,,,,",
    ]) + "\n")
    [source] = ingest_json(tmp_path / "w.duckdb", data)
    assert (source["rows_read"], source["rows_loaded"], source["rows_quarantined"]) == (2, 1, 1)
    [(line, reasons, raw)] = query(tmp_path / "w.duckdb", "select line_no, reasons, raw_record::varchar from quarantine")
    assert (line, reasons) == (2, ["extra_cells"])
    assert "see note 4" in json.loads(raw).values()
