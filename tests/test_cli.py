"""The borderlens command as a user runs it: output contracts and one-line errors with exit code 2."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from support import SAMPLE, run_cli, write

BTS_2019 = SAMPLE / "crossings" / "bts_border_crossing_entry_data_2019_insight_sample.csv"


def _one_line_error(result) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_ingest_json_contract(tmp_path: Path):
    out = json.loads(run_cli("ingest", BTS_2019, "--db", tmp_path / "w.duckdb", "--json").stdout)
    [source] = out["sources"]
    assert set(source) == {"source_id", "path", "profile", "sha256", "rows_read", "rows_loaded",
                           "rows_quarantined", "status"}
    assert source["rows_read"] == 7 and source["status"] == "loaded"


def test_status_and_quarantine_listings(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    bad = write(tmp_path / "bad.csv", "Port Name,State,Port Code,Border,Date,Measure,Value\n"
                                      "Jackman,Maine,0104,US-Canada Border,Jan 2024,Trucks,=1+1\n"
                                      "Jackman,Maine,0104,US-Canada Border,Feb 2024,Trucks,12\n")
    run_cli("ingest", BTS_2019, bad, "--db", db)
    status = json.loads(run_cli("status", "--db", db, "--json").stdout)
    assert status["tables"]["crossings"] == 8
    assert {s["file_name"]: (s["rows_read"], s["rows_loaded"], s["rows_quarantined"]) for s in status["sources"]} \
        == {BTS_2019.name: (7, 7, 0), "bad.csv": (2, 1, 1)}
    assert [(q["reason"], q["rows"]) for q in status["quarantine"]] == [("unparseable_number", 1)]
    text = run_cli("status", "--db", db).stdout
    assert "bad.csv" in text and "unparseable_number" in text

    listing = json.loads(run_cli("quarantine", "--db", db, "--format", "json").stdout)["quarantine"]
    assert [(q["line_no"], q["reasons"], q["raw_record"]["Value"]) for q in listing] == \
        [(2, ["unparseable_number"], "=1+1")]
    rows = list(csv.DictReader(io.StringIO(run_cli("quarantine", "--db", db, "--format", "csv").stdout)))
    assert rows[0]["line_no"] == "2" and rows[0]["reasons"] == "unparseable_number"
    assert json.loads(rows[0]["raw_record"])["Value"] == "=1+1"  # the JSON cell starts with '{', not a formula
    source_id = listing[0]["source_id"]
    assert run_cli("quarantine", "--db", db, "--source", "nope").stdout.count("\n") == 1  # header only
    assert source_id in run_cli("quarantine", "--db", db, "--source", source_id).stdout


def test_export_from_working_db(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    run_cli("ingest", BTS_2019, "--db", db)
    out = tmp_path / "x.csv"
    run_cli("export", "crossings", "--db", db, "--format", "csv", "--out", out, "--where", "neighbor_iso3=MEX")
    rows = list(csv.DictReader(open(out, encoding="utf-8")))
    assert len(rows) == 4 and {r["neighbor_iso3"] for r in rows} == {"MEX"}


@pytest.mark.parametrize("args, needle", [
    (["ingest", "no/such/file.csv", "--db", "{tmp}/w.duckdb"], "file not found: no/such/file.csv"),
    (["ingest", "{tmp}/odd.csv", "--db", "{tmp}/w.duckdb"], "no profile fits this layout; closest:"),
    (["ingest", "{tmp}/empty.csv", "--db", "{tmp}/w.duckdb"], "empty.csv: the file is empty"),
    (["ingest", "{bts}", "--db", "{tmp}/w.duckdb", "--profile", "{tmp}/bad.toml"], "bad.toml: unknown dataset"),
    (["ingest", "{bts}", "--db", "{tmp}/w.duckdb", "--profile", "nonesuch"], "unknown profile 'nonesuch'"),
    (["ingest", "{bts}", "--db", "{tmp}/w.duckdb", "--profile", "eu-crossings-wide"],
     "the header is separated by commas, but profile eu-crossings-wide reads semicolons"),
    (["ingest", "{bts}", "--db", "{tmp}/w.duckdb", "--profile", "borderlens-exercise-notices-csv"],
     "column 'notice_id' needed for notice_id by profile borderlens-exercise-notices-csv is not in the file"),
    (["status", "--db", "{tmp}/missing.duckdb"], "database not found"),
    (["ingest", "{bts}", "--db", "{tmp}/no/dir/w.duckdb"], "folder for the database does not exist"),
    (["ingest", "{bts}"], "--db"),
])
def test_user_errors_are_one_line_exit_2(tmp_path: Path, args, needle):
    write(tmp_path / "odd.csv", "Port,When,How many\nX,2024,3\n")
    write(tmp_path / "empty.csv", "")
    write(tmp_path / "bad.toml", '[profile]\nname = "bad"\ndataset = "weather"\n')
    args = [a.format(tmp=tmp_path, bts=BTS_2019) for a in args]
    line = _one_line_error(run_cli(*args, check=False, process=True))   # the console script, as a shell runs it
    assert needle in line


def test_undetectable_layout_names_closest_candidates(tmp_path: Path):
    odd = write(tmp_path / "odd.csv", "Port Name,Port Code,Border,Month,Measure,Value\nX,1,US-Canada Border,Jan 2024,Trucks,3\n")
    line = _one_line_error(run_cli("ingest", odd, "--db", tmp_path / "w.duckdb", check=False))
    assert "bts-border-crossings (83% of its columns; lacks 'Date')" in line


def test_a_new_layout_needs_only_a_profile_file(tmp_path: Path):
    """A publisher with tab-separated Latin-1 files, its own column names and words: a profile, no code."""
    profile = write(tmp_path / "my_layout.toml", """
[profile]
name = "example-tab-latin1"
dataset = "crossings"
publisher = "Example border office"
licence = "CC-BY-4.0"

[read]
format = "csv"
delimiter = "\\t"
encoding = "cp1252"
decimal = ","
thousands = " "

[dates]
formats = ["%d.%m.%Y"]

[markers]
withheld = ["vertraulich"]

[fields]
location_id = { column = "Grenzübergang", prefix = "AUT-" }
location_name = "Grenzübergang"
country_iso3 = { value = "AUT" }
neighbor_iso3 = { column = "Nachbar", map = "countries" }
reporter_iso3 = { value = "AUT" }
direction = { column = "Richtung", map = "directions" }
period = "Datum"
period_granularity = { value = "day" }
measure = { value = "persons" }
measure_original = { value = "Personen" }
value = "Personen"

[vocab.countries]
"Ungarn" = "HUN"
"Slowenien" = "SVN"

[vocab.directions]
"Einreise" = "inbound"
"Ausreise" = "outbound"
""")
    data = write(tmp_path / "grenze.tsv",
                 "Grenzübergang\tNachbar\tRichtung\tDatum\tPersonen\n"
                 "Nickelsdorf\tUngarn\tEinreise\t01.03.2024\t12 345\n"
                 "Spielfeld\tSlowenien\tAusreise\t02.03.2024\tvertraulich\n"
                 "Spielfeld\tSlowenien\tAusreise\t03.03.2024\t1,5\n", encoding="cp1252")
    out = json.loads(run_cli("ingest", data, "--db", tmp_path / "w.duckdb", "--profile", profile, "--json").stdout)
    assert out["sources"][0]["rows_loaded"] == 3
    from support import query
    assert query(tmp_path / "w.duckdb", "select location_id, neighbor_iso3, direction, period_start::varchar, value, "
                                        "value_status from crossings order by period_start") == [
        ("AUT-Nickelsdorf", "HUN", "inbound", "2024-03-01", 12345.0, "reported"),
        ("AUT-Spielfeld", "SVN", "outbound", "2024-03-02", None, "withheld_by_publisher"),
        ("AUT-Spielfeld", "SVN", "outbound", "2024-03-03", 1.5, "reported"),
    ]
