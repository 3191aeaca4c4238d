"""Ingest edge cases a probe found: each test failed on the code before its fix. Real CLI, real DuckDB files."""

from __future__ import annotations

import json
from pathlib import Path

from support import SAMPLE, ingest_json, query, run_cli, write

HEADER = "Port Name,State,Port Code,Border,Date,Measure,Value\n"


def _one_line_error(result) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_rejected_lines_of_one_file_are_not_charged_to_the_next(tmp_path: Path):
    bad = write(tmp_path / "bad.csv", HEADER + "A,Maine,0104,US-Canada Border,Jan 2024,Trucks,1,extra\n")
    good = write(tmp_path / "good.csv", HEADER + "B,Maine,0105,US-Canada Border,Jan 2024,Trucks,1\n"
                                                 "C,Maine,0106,US-Canada Border,Jan 2024,Trucks,2\n")
    db = tmp_path / "w.duckdb"
    first, second = ingest_json(db, bad, good)
    assert (first["rows_read"], first["rows_loaded"], first["rows_quarantined"]) == (1, 0, 1)
    assert (second["rows_read"], second["rows_loaded"], second["rows_quarantined"]) == (2, 2, 0)
    lines = query(db, "select location_name, source_line from crossings where source_id = ? order by 2",
                  [second["source_id"]])
    assert lines == [("B", 2), ("C", 3)]
    assert query(db, "select source_id, line_no from quarantine") == [(first["source_id"], 2)]


def test_a_crlf_file_with_a_malformed_row_quarantines_it(tmp_path: Path):
    data = write(tmp_path / "crlf.csv", HEADER.replace("\n", "\r\n")
                 + "A,Maine,0104,US-Canada Border,Jan 2024,Trucks,1\r\n"
                 + "B,Maine,0104,US-Canada Border,Feb 2024,Trucks,2,extra\r\n")
    db = tmp_path / "w.duckdb"
    [source] = ingest_json(db, data)
    assert (source["rows_read"], source["rows_loaded"], source["rows_quarantined"]) == (2, 1, 1)
    [(line, reasons, raw)] = query(db, "select line_no, reasons, raw_record::varchar from quarantine")
    assert (line, reasons) == (3, ["too_many_columns"])
    record = json.loads(raw)
    assert record["Port Name"] == "B" and record["_extra_values"] == ["extra"]


def test_numbers_a_count_cannot_be_are_unparseable(tmp_path: Path):
    values = {"NaN": None, "inf": None, "-inf": None, "1e400": None, '"1,2,3"': None, "1_000": None,
              '"1.234,5"': None, '"1,234"': 1234.0, "1e3": 1000.0, " 12 ": 12.0, "+7": 7.0}
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    rows = [f"P,Maine,0104,US-Canada Border,{months[i]} 2024,Trucks,{v}" for i, v in enumerate(values)]
    db = tmp_path / "w.duckdb"
    [source] = ingest_json(db, write(tmp_path / "n.csv", HEADER + "\n".join(rows) + "\n"))
    loaded = dict(query(db, "select source_line, value from crossings"))
    quarantined = dict(query(db, "select line_no, reasons from quarantine"))
    for line, (text, expected) in enumerate(values.items(), start=2):
        if expected is None:
            assert quarantined.get(line) == ["unparseable_number"], (text, quarantined.get(line), loaded.get(line))
        else:
            assert loaded.get(line) == expected, (text, loaded.get(line), quarantined.get(line))
    assert source["rows_loaded"] + source["rows_quarantined"] == len(values)


def test_non_finite_coordinates_are_unparseable(tmp_path: Path):
    header = "Port Name,State,Port Code,Border,Date,Measure,Value,Latitude,Longitude\n"
    data = write(tmp_path / "c.csv", header + "P,Maine,0104,US-Canada Border,Jan 2024,Trucks,5,NaN,-70.4\n"
                                              "P,Maine,0104,US-Canada Border,Feb 2024,Trucks,5,45.8,-70.4\n")
    db = tmp_path / "w.duckdb"
    ingest_json(db, data)
    assert query(db, "select line_no, reasons from quarantine") == [(2, ["unparseable_coordinate"])]


def test_a_file_name_with_pattern_characters_reads_that_file_only(tmp_path: Path):
    folder = tmp_path / "g"
    folder.mkdir()
    named = write(folder / "port?.csv", HEADER + "A,Maine,0104,US-Canada Border,Jan 2024,Trucks,1\n")
    write(folder / "port1.csv", HEADER + "".join(
        f"B,Maine,0105,US-Canada Border,{m} 2024,Trucks,1\n" for m in ("Jan", "Feb", "Mar")))
    db = tmp_path / "w.duckdb"
    [source] = ingest_json(db, named)
    assert (source["rows_read"], source["rows_loaded"]) == (1, 1)
    assert query(db, "select location_name, source_line from crossings") == [("A", 2)]


def test_a_failing_file_leaves_the_files_before_it_complete_and_is_recorded(tmp_path: Path):
    good = SAMPLE / "crossings" / "bts_border_crossing_entry_data_2023-01_2025-02.csv"
    unknown = write(tmp_path / "notes.csv", "what,is,this\n1,2,3\n")
    db = tmp_path / "w.duckdb"
    message = _one_line_error(run_cli("ingest", good, unknown, "--db", db, check=False))
    assert "notes.csv" in message and "no profile fits" in message
    missing, total = query(db, "select count(*) filter (where border_id is null and lat is not null), count(*) "
                               "from crossings")[0]
    assert total > 0 and missing == 0
    runs = query(db, "select path, status, message from ingest_runs order by run_id")
    assert [r[1] for r in runs] == ["loaded", "failed"]
    assert runs[1][0].endswith("notes.csv") and "no profile fits" in runs[1][2]


def test_a_folder_contributes_its_data_files_not_its_notes(tmp_path: Path):
    folder = tmp_path / "d"
    folder.mkdir()
    write(folder / "a.csv", HEADER + "A,Maine,0104,US-Canada Border,Jan 2024,Trucks,1\n")
    write(folder / "notes.txt", "downloaded from the publisher on 2024-02-01\n")
    [source] = ingest_json(tmp_path / "w.duckdb", folder)
    assert source["path"].endswith("a.csv")


def test_input_mistakes_get_one_line(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    scalar = write(tmp_path / "n.json", "42")
    assert "single value" in _one_line_error(run_cli("ingest", scalar, "--db", db, check=False))
    tabs = write(tmp_path / "tabs.csv", HEADER.replace(",", "\t") + "A\tMaine\t0104\tUS-Canada Border\t"
                                                                    "Jan 2024\tTrucks\t1\n")
    message = _one_line_error(run_cli("ingest", tabs, "--db", db, "--profile", "bts-border-crossings",
                                      check=False))
    assert "separated by tabs" in message
    good = write(tmp_path / "g.csv", HEADER + "A,Maine,0104,US-Canada Border,Jan 2024,Trucks,1\n")
    assert ":memory:" in _one_line_error(run_cli("ingest", good, "--db", ":memory:", check=False))
    meta = write(tmp_path / "g.csv.meta.toml", '[source]\nsynthetic = "false"\n')
    assert "synthetic must be true or false" in _one_line_error(run_cli("ingest", good, "--db", db, check=False))
    meta.write_bytes('[source]\ntitle = "Caf\u00e9"\n'.encode("latin-1"))
    assert "not UTF-8" in _one_line_error(run_cli("ingest", good, "--db", db, check=False))
    twice = write(tmp_path / "twice.csv", HEADER.replace("Value", "Value,Value")
                  + "A,Maine,0104,US-Canada Border,Jan 2024,Trucks,1,2\n")
    assert "names column 'value' more than once" in _one_line_error(run_cli("ingest", twice, "--db", db,
                                                                            check=False))
    unclosed = write(tmp_path / "u.csv", HEADER + 'A,"Maine,0104,US-Canada Border,Jan 2024,Trucks,1\n' * 3)
    message = _one_line_error(run_cli("ingest", unclosed, "--db", tmp_path / "u.duckdb", "--profile",
                                      "bts-border-crossings", check=False))
    assert "unclosed quote" in message and "nothing was loaded" in message


def test_a_file_with_old_mac_line_ends_loads(tmp_path: Path):
    data = write(tmp_path / "cr.csv", (HEADER + "A,Maine,0104,US-Canada Border,Jan 2024,Trucks,1\n"
                                       "B,Maine,0105,US-Canada Border,Jan 2024,Trucks,2\n").replace("\n", "\r"))
    [source] = ingest_json(tmp_path / "w.duckdb", data)
    assert (source["rows_read"], source["rows_loaded"]) == (2, 2)


def test_geojson_without_coordinates_or_with_text_in_them_is_invalid(tmp_path: Path):
    template = json.loads((SAMPLE / "projects").joinpath(
        next(p.name for p in (SAMPLE / "projects").iterdir() if p.suffix == ".geojson")).read_text())
    feature = template["features"][0]
    features = []
    for number, coordinates in enumerate(([], [23.9, "NaN"]), start=1):
        copy = json.loads(json.dumps(feature))
        copy["properties"]["project_id"] = f"EDGE-{number}"
        copy["geometry"] = {"type": "Point", "coordinates": coordinates}
        features.append(copy)
    data = write(tmp_path / "p.geojson", json.dumps({"type": "FeatureCollection", "features": features}))
    db = tmp_path / "w.duckdb"
    [source] = ingest_json(db, data)
    assert source["rows_quarantined"] == 2
    for (reasons,) in query(db, "select reasons from quarantine"):
        assert "invalid_geometry" in reasons


def test_a_geojson_geometry_with_swapped_coordinates_is_quarantined(tmp_path: Path):
    collection = json.loads((SAMPLE / "projects" / "infrastructure_projects_demo.geojson").read_text())
    [point] = [f for f in collection["features"] if f["properties"].get("project_id") == "SYN-G-014"]  # POL
    lon, lat = point["geometry"]["coordinates"]
    swapped = json.loads(json.dumps(point))
    swapped["properties"]["project_id"] = "EDGE-SWAPPED"
    swapped["geometry"]["coordinates"] = [lat, lon]
    polygon = json.loads(json.dumps(point))
    polygon["properties"]["project_id"] = "EDGE-SWAPPED-AREA"
    polygon["geometry"] = {"type": "Polygon", "coordinates": [[[lat, lon], [lat, lon + 0.05],
                                                               [lat + 0.05, lon + 0.05], [lat, lon]]]}
    data = write(tmp_path / "p.geojson", json.dumps({"type": "FeatureCollection",
                                                     "features": [point, swapped, polygon]}))
    db = tmp_path / "w.duckdb"
    [source] = ingest_json(db, data)
    assert (source["rows_loaded"], source["rows_quarantined"]) == (1, 2)
    for (reasons,) in query(db, "select reasons from quarantine"):
        assert reasons == ["coordinates_swapped"]


def test_lines_are_physical_lines_with_blank_lines_and_line_breaks_in_cells(tmp_path: Path):
    text = (HEADER
            + "P1,Maine,0104,US-Canada Border,Jan 2024,Trucks,1\n"         # line 2
            + "\n"                                                          # line 3: blank
            + "P2,Maine,0104,US-Canada Border,Feb 2024,Trucks,2\n"         # line 4
            + '"Two\nLines",Maine,0104,US-Canada Border,Mar 2024,Trucks,3\n'  # lines 5-6
            + "P4,Maine,0104,US-Canada Border,Apr 2024,Trucks,4,extra\n"   # line 7: rejected
            + "P5,Maine,0104,US-Canada Border,May 2024,Trucks,lots\n"      # line 8: quarantined
            + "P6,Maine,0104,US-Canada Border,Jun 2024,Trucks,6\n"         # line 9
            + "\n\n")                                                       # blank lines at the end
    for name, content in (("lf.csv", text), ("crlf.csv", text.replace("\n", "\r\n"))):
        db = tmp_path / f"{name}.duckdb"
        [source] = ingest_json(db, write(tmp_path / name, content))
        assert (source["rows_read"], source["rows_loaded"], source["rows_quarantined"]) == (6, 4, 2), name
        loaded = query(db, "select location_name, source_line from crossings order by source_line")
        assert [line for _, line in loaded] == [2, 4, 5, 9], name
        assert query(db, "select line_no, reasons from quarantine order by 1") == [
            (7, ["too_many_columns"]), (8, ["unparseable_number"])], name


def test_trailing_blank_lines_keep_the_fast_numbering(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    data = write(tmp_path / "t.csv", HEADER + "A,Maine,0104,US-Canada Border,Jan 2024,Trucks,1\n"
                                              "B,Maine,0105,US-Canada Border,Jan 2024,Trucks,1,x\n"
                                              "C,Maine,0106,US-Canada Border,Jan 2024,Trucks,2\n\n\n")
    ingest_json(db, data)
    assert query(db, "select location_name, source_line from crossings order by 2") == [("A", 2), ("C", 4)]
    assert query(db, "select line_no from quarantine") == [(3,)]


def test_a_code_longer_than_the_pad_width_is_kept_whole(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    ingest_json(db, write(tmp_path / "p.csv", HEADER + "A,Maine,12345,US-Canada Border,Jan 2024,Trucks,1\n"
                                                       "B,Maine,104,US-Canada Border,Jan 2024,Trucks,1\n"))
    assert query(db, "select location_id from crossings order by 1") == [("USA-0104",), ("USA-12345",)]


def test_a_monthly_figure_dated_inside_its_month_counts_from_the_first(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    [source] = ingest_json(db, write(tmp_path / "m.csv", HEADER
                                     + "A,Maine,0104,US-Canada Border,3/15/2019,Trucks,1\n"
                                     + "A,Maine,0104,US-Canada Border,Mar 2019,Trucks,1\n"))
    # the same figure for the same month: the second line repeats the first
    assert query(db, "select period_start::varchar, value from crossings") == [("2019-03-01", 1.0)]
    assert query(db, "select line_no, reasons from quarantine") == [(3, ["exact_duplicate"])]


def test_a_crossing_counted_for_a_future_period_is_quarantined(tmp_path: Path):
    from datetime import date

    next_year = date.today().year + 1
    db = tmp_path / "w.duckdb"
    ingest_json(db, write(tmp_path / "f.csv", HEADER + "A,Maine,0104,US-Canada Border,Jan 2024,Trucks,1\n"
                                                     + f"A,Maine,0104,US-Canada Border,Jan {next_year},Trucks,2\n"))
    assert query(db, "select line_no, reasons from quarantine") == [(3, ["future_period"])]


def test_another_programs_database_is_left_alone(tmp_path: Path):
    import duckdb

    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("create table invoices (id integer)")
    con.close()
    for args in (("status", "--db", other), ("ingest", SAMPLE / "crossings", "--db", other)):
        assert "DuckDB database of something else" in _one_line_error(run_cli(*args, check=False))
    assert query(other, "select table_name from duckdb_tables()") == [("invoices",)]
