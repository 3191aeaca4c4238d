"""Row filters and estimates a profile states (issue 11, point 3): title, note and total rows set aside by [rows] skip
(each in quarantine as skipped_by_profile, so read = loaded + quarantined), and figures the publisher marks as
estimates ([markers] estimated: after the figure, or in a flag column) loaded with value_status estimated; through
the real CLI on real DuckDB files."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import ingest_json, one_line_error, query, run_cli, write

PROFILE = """
[profile]
name = "port-counts"
dataset = "crossings"

[detect]
columns = ["Port", "Month", "Persons"]

[dates]
formats = ["%Y-%m"]

[markers]
withheld = ["c"]
estimated = ["e", "(est.)"]

[rows]
skip = [{ column = "Port", matches = '(?i)(total|note:).*' }, { column = "Month", empty = true }]

[fields]
location_id = "Port"
country_iso3 = { value = "FIN" }
reporter_iso3 = { value = "FIN" }
direction = { value = "inbound" }
period = "Month"
period_granularity = { value = "month" }
measure = { value = "persons" }
value = "Persons"
value_flag = "Flag"
"""
CSV = """Port,Month,Persons,Flag
Vaalimaa,2024-01,1200,
Vaalimaa,2024-02,1300 e,
Nuijamaa,2024-01,400,E
Nuijamaa,2024-02,c,
Imatra,2024-01,250(est.),
Total,2024-01,1850,
Imatra,,77,
Note: figures for 2024 are provisional,,,
Imatra,2024-02,lots,
"""


def test_skipped_rows_and_estimates(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    result = ingest_json(db, write(tmp_path / "ports.csv", CSV), profile=str(write(tmp_path / "p.toml", PROFILE)))[0]
    assert (result["rows_read"], result["rows_loaded"], result["rows_quarantined"]) == (9, 5, 4)
    loaded = query(db, "select location_id, strftime(period_start, '%Y-%m'), value, value_status from crossings "
                       "order by 1, 2")
    assert loaded == [("Imatra", "2024-01", 250, "estimated"), ("Nuijamaa", "2024-01", 400, "estimated"),
                      ("Nuijamaa", "2024-02", None, "withheld_by_publisher"),
                      ("Vaalimaa", "2024-01", 1200, "reported"), ("Vaalimaa", "2024-02", 1300, "estimated")]
    set_aside = query(db, "select line_no, reasons from quarantine order by line_no")
    assert set_aside == [(7, ["skipped_by_profile"]), (8, ["skipped_by_profile"]), (9, ["skipped_by_profile"]),
                         (10, ["unparseable_number"])]


@pytest.mark.parametrize("section, said", [
    ("[rows]\nskip = [{ column = \"Port\" }]", "needs exactly one of matches"),
    ("[rows]\nskip = [{ column = \"Port\", matches = '(' }]", "not a valid regular expression"),
    ("[rows]\nskop = []", "unknown key(s) skop"),
    ("[rows]\nskip = [{ column = \"Port\", empty = false }]", "empty must be true"),
])
def test_a_mistaken_row_filter_is_one_line(tmp_path: Path, section: str, said: str):
    text = PROFILE.split("[rows]")[0] + section + "\n\n[fields]" + PROFILE.split("[fields]")[1]
    data = write(tmp_path / "ports.csv", CSV)
    line = one_line_error(run_cli("ingest", data, "--db", tmp_path / "w.duckdb", "--profile",
                                  write(tmp_path / "bad.toml", text), check=False))
    assert said in line and "bad.toml" in line and "[rows]" in line


def test_a_skip_rule_on_a_column_the_file_lacks_is_one_line(tmp_path: Path):
    profile = write(tmp_path / "p.toml", PROFILE.replace('{ column = "Month", empty = true }',
                                                         '{ column = "Remarks", empty = true }'))
    line = one_line_error(run_cli("ingest", write(tmp_path / "ports.csv", CSV), "--db", tmp_path / "w.duckdb",
                                  "--profile", profile, check=False))
    assert "'Remarks'" in line and "[rows] skip" in line


def test_estimated_markers_are_for_crossings_only(tmp_path: Path):
    notices = """
[profile]
name = "n"
dataset = "exercise_notices"
[fields]
notice_id = "Id"
start_date = "From"
end_date = "To"
"""
    profile = write(tmp_path / "n.toml", notices + '[markers]\nestimated = ["e"]\n')
    line = one_line_error(run_cli("ingest", write(tmp_path / "n.csv", "Id,From,To\nA,2024-01-01,2024-01-02\n"),
                                  "--db", tmp_path / "w.duckdb", "--profile", profile, check=False))
    assert "[markers] estimated applies to crossings figures only" in line


def test_the_worked_example_of_the_docs_loads_as_the_docs_say(tmp_path: Path):
    """docs/profiles.md, "Row filters" and "Estimates": the example with its profile folder, as the text says."""
    from support import REPO

    db = tmp_path / "ports.duckdb"
    result = ingest_json(db, REPO / "docs" / "examples" / "port_counts_with_totals.csv", "--profiles",
                         REPO / "docs" / "examples" / "profiles")[0]
    assert (result["profile"], result["rows_read"], result["rows_loaded"], result["rows_quarantined"]) == (
        "example-port-counts", 7, 5, 2)
    assert dict(((p, m), (v, s)) for p, m, v, s in query(
        db, "select location_id, strftime(period_start, '%Y-%m'), value, value_status from crossings")) == {
        ("Vaalimaa", "2024-01"): (1200, "reported"), ("Vaalimaa", "2024-02"): (1300, "estimated"),
        ("Nuijamaa", "2024-01"): (400, "estimated"), ("Imatra", "2024-01"): (250, "estimated"),
        ("Nuijamaa", "2024-02"): (None, "withheld_by_publisher")}
    assert query(db, "select line_no, reasons from quarantine order by 1") == [
        (7, ["skipped_by_profile"]), (8, ["skipped_by_profile"])]
