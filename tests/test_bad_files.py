"""The bad-file corpus: files a hostile or careless publisher sends, each with the outcome it must have.

Small files are committed in tests/data/bad/ (byte-exact: line ends and byte-order marks are the point); the large
ones (a 10 MB cell, JSON nested 100,000 levels deep) are made at test time. Each file is ingested by the real CLI
into a real DuckDB file, and either every row is loaded or quarantined with its reasons on its own line (and read =
loaded + quarantined), or the ingest stops with one line on stderr and exit code 2.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from data_pipeline.profiles import BUILTIN_DIR
from support import query, run_cli

BAD = Path(__file__).resolve().parent / "data" / "bad"
CROSSING = "Port {n},Maine,01{n:02d},US-Canada Border,Jan 2024,Trucks,{value}\n"


def _long_cell(folder: Path) -> Path:
    """A CSV with one 10 MB cell among valid rows (DuckDB's longest line is 2 MB)."""
    path = folder / "crossings_long_cell.csv"
    path.write_text("Port Name,State,Port Code,Border,Date,Measure,Value\n" + CROSSING.format(n=1, value=1)
                    + CROSSING.format(n=2, value="9" * 10_000_000) + CROSSING.format(n=3, value=3), newline="")
    return path


def _deep_json(folder: Path) -> Path:
    """A notices JSON whose one record holds a value nested 100,000 levels deep."""
    path = folder / "notices_deep.json"
    depth = 100_000
    path.write_text('[{"notice_id": "D-1", "notes": ' + "[" * depth + "]" * depth + "}]")
    return path


def widened_profile(folder: Path) -> Path:
    """The built-in BTS profile with its window widened to 1800 (made here, so it follows the built-in)."""
    text = (BUILTIN_DIR / "bts-border-crossings.toml").read_text(encoding="utf-8")
    assert text.count("[dates]\n") == 1
    path = folder / "crossings_from_1800.toml"
    path.write_text(text.replace('name = "bts-border-crossings"', 'name = "bts-from-1800"')
                    .replace("[dates]\n", "[dates]\nearliest = 1800-01-01\n"), encoding="utf-8")
    return path


def _committed(name: str):
    return lambda folder: BAD / name


# name: (how to get the file, None or how to make the --profile, expected), expected being either
# {"error": words of the one line} or {"loaded": n, "quarantined": [(line, [reasons]), ...]} (a wide layout
# quarantines cells: one line may come twice).
CASES = {
    "notices numbers out of range": (_committed("notices_numbers_out_of_range.csv"), None, {
        "loaded": 2, "quarantined": [(3, ["number_out_of_range"]), (4, ["number_out_of_range"]),
                                     (5, ["number_out_of_range"]), (6, ["number_out_of_range"]),
                                     (7, ["number_out_of_range"]), (8, ["number_out_of_range"]),
                                     (9, ["number_out_of_range"]), (11, ["coordinates_out_of_range"])]}),
    "notices dates out of range": (_committed("notices_dates_out_of_range.csv"), None, {
        "loaded": 2, "quarantined": [(3, ["date_out_of_range"]), (4, ["date_out_of_range"]),
                                     (5, ["date_out_of_range"]), (6, ["date_out_of_range"])]}),
    "projects budgets and dates out of range": (_committed("projects_out_of_range.csv"), None, {
        "loaded": 2, "quarantined": [(3, ["number_out_of_range"]), (4, ["number_out_of_range"]),
                                     (5, ["negative_amount", "number_out_of_range"]), (6, ["date_out_of_range"]),
                                     (7, ["date_out_of_range"]), (8, ["date_out_of_range"])]}),
    "crossings values and periods out of range": (_committed("crossings_out_of_range.csv"), None, {
        "loaded": 3, "quarantined": [(3, ["number_out_of_range"]), (4, ["number_out_of_range"]),
                                     (5, ["date_out_of_range"]), (6, ["date_out_of_range"]),
                                     (7, ["date_out_of_range"])]}),
    "a profile widens the window": (_committed("crossings_out_of_range.csv"), widened_profile, {
        "loaded": 4, "quarantined": [(3, ["number_out_of_range"]), (4, ["number_out_of_range"]),
                                     (5, ["date_out_of_range"]), (6, ["date_out_of_range"])]}),
    "wide crossings out of range": (_committed("crossings_wide_out_of_range.csv"), None, {
        "loaded": 1, "quarantined": [(2, ["number_out_of_range"]), (2, ["date_out_of_range"])]}),
    "mixed line ends": (_committed("crossings_mixed_line_ends.csv"), None, {
        "loaded": 4, "quarantined": [(4, ["too_many_columns"])]}),
    "utf-16 little-endian with a byte-order mark": (_committed("crossings_utf16le_bom.csv"), None, {
        "loaded": 2, "quarantined": [(3, ["unparseable_number"])]}),
    "utf-16 big-endian with a byte-order mark": (_committed("crossings_utf16be_bom.csv"), None, {
        "loaded": 2, "quarantined": [(3, ["unparseable_number"])]}),
    "utf-8 with a byte-order mark": (_committed("crossings_utf8_bom.csv"), None, {
        "loaded": 2, "quarantined": [(3, ["unparseable_number"])]}),
    "notices JSON numbers out of range": (_committed("notices_out_of_range.json"), None, {
        "loaded": 1, "quarantined": [(2, ["number_out_of_range"]), (3, ["number_out_of_range"]),
                                     (4, ["date_out_of_range"])]}),
    "projects GeoJSON out of range": (_committed("projects_out_of_range.geojson"), None, {
        "loaded": 1, "quarantined": [(2, ["number_out_of_range"]), (3, ["date_out_of_range", "end_before_start"])]}),
    "a 10 MB cell": (_long_cell, None, {"loaded": 2, "quarantined": [(3, ["line_size_over_maximum"])]}),
    "JSON nested 100,000 levels deep": (_deep_json, None, {"error": "nested too deeply"}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_file_has_its_expected_outcome(case: str, tmp_path: Path):
    make, profile, expected = CASES[case]
    path = make(tmp_path)
    db = tmp_path / "w.duckdb"
    if callable(profile):
        profile = profile(tmp_path)
    args = ["ingest", path, "--db", db, "--json"] + (["--profile", profile] if profile else [])
    result = run_cli(*args, check=False)
    assert "Traceback" not in result.stderr, result.stderr
    if "error" in expected:
        assert result.returncode == 2, result.stdout + result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and expected["error"] in lines[0] and str(path) in lines[0], result.stderr
        return
    assert result.returncode == 0, result.stderr
    [source] = json.loads(result.stdout)["sources"]
    quarantined = expected["quarantined"]
    assert (source["rows_read"], source["rows_loaded"], source["rows_quarantined"]) == \
        (expected["loaded"] + len(quarantined), expected["loaded"], len(quarantined))
    rows = query(db, "select line_no, reasons from quarantine where source_id = ?", [source["source_id"]])
    assert sorted((line, sorted(reasons)) for line, reasons in rows) == \
        sorted((line, sorted(reasons)) for line, reasons in quarantined)
    [(dataset,)] = query(db, "select dataset from sources where source_id = ?", [source["source_id"]])
    assert dataset in ("crossings", "exercise_notices", "infrastructure_projects")  # a fixed name, then formatted
    assert query(db, f"select count(*) from {dataset} where source_id = ?", [source["source_id"]]) == \
        [(expected["loaded"],)]
