"""The bad-file corpus: files a hostile or careless publisher sends, each with the outcome it must have.

Small files are committed in tests/data/bad/ (byte-exact: line ends and byte-order marks are the point); the large
ones (a 10 MB cell, JSON nested 100,000 levels deep) are made at test time. Each file is ingested by the real CLI
into a real DuckDB file, and either every row is loaded or quarantined with its reasons on its own line (and read =
loaded + quarantined), or the ingest stops with one line on stderr and exit code 2.
"""

from __future__ import annotations

import gzip
import json
import zipfile
from pathlib import Path

import pytest

from data_pipeline.ingest.profiles import BUILTIN_DIR
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


BTS = "Port Name,State,Port Code,Border,Date,Measure,Value,Latitude,Longitude\n"


def _made(name: str, content: bytes | str, encoding: str = "utf-8"):
    """A maker of a small file written at test time (bytes as given; text in the encoding given)."""
    def make(folder: Path) -> Path:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path
    return make


def _crossings(*rows: str, end: str = "\n") -> str:
    return BTS.replace("\n", end) + "".join(row + end for row in rows)


# Two rows, the second one bad: its line number is the unpacked file's line.
PACKED = _crossings("A,Maine,0104,US-Canada Border,Jan 2024,Trucks,5,,", "B,Maine,0105,US-Canada Border,Jan 2024,Trucks,x,,")


def _gzip(folder: Path, cut: int | None = None) -> Path:
    data = gzip.compress(PACKED.encode())
    return _made("crossings.csv.gz", data[:cut] if cut else data)(folder)


def _zip(folder: Path) -> Path:
    path = folder / "crossings.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("crossings.csv", PACKED)
    return path


def _empty_folder(folder: Path) -> Path:
    (folder / "nothing here").mkdir()
    return folder / "nothing here"


ROW = "{name},Maine,{code},US-Canada Border,Jan 2024,Trucks,{value},{lat},{lon}"


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
    "an empty file": (_made("crossings.csv", b""), None, {"error": "the file is empty"}),
    "a header and no rows": (_made("crossings.csv", BTS), None, {"loaded": 0, "quarantined": []}),
    "binary bytes": (_made("crossings.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4), None,
                     {"error": "not a text file"}),
    "a gzip file": (_gzip, None, {"loaded": 1, "quarantined": [(3, ["unparseable_number"])]}),  # compressed.py
    "a truncated gzip file": (lambda folder: _gzip(folder, cut=30), None, {"error": "cut short"}),
    "a zip archive": (_zip, None, {"loaded": 1, "quarantined": [(3, ["unparseable_number"])]}),
    # a workbook is read (test_ingest_sheets.py); this one's container is zeros
    "a broken old Excel file": (_made("crossings.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)), None,
                                {"error": "a broken or unreadable workbook"}),
    "a PDF": (_made("notices.json", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), None, {"error": "PDF"}),
    "a folder with no data file": (_empty_folder, None, {"error": "no data files"}),
    "a file that is not there": (lambda folder: folder / "missing.csv", None, {"error": "file not found"}),
    "Latin-1 without a byte-order mark": (_made("crossings.csv", _crossings(
        ROW.format(name="Saint-Théophile", code="0104", value=5, lat="", lon="")), "latin-1"), None,
        {"loaded": 0, "quarantined": [(2, ["invalid_encoding"])]}),
    "CRLF line ends": (_made("crossings.csv", _crossings(
        ROW.format(name="A", code="0104", value=5, lat="", lon=""),
        ROW.format(name="B", code="0105", value=6, lat="", lon=""), end="\r\n")), None,
        {"loaded": 2, "quarantined": []}),
    "ragged rows": (_made("crossings.csv", _crossings(
        "A,Maine,0104,US-Canada Border,Jan 2024,Trucks,5",
        "B,Maine,0105,US-Canada Border,Jan 2024,Trucks,6,,,stray",
        ROW.format(name="C", code="0106", value=7, lat="", lon=""))), None,
        {"loaded": 1, "quarantined": [(2, ["missing_columns"]), (3, ["too_many_columns"])]}),
    "a quoted line break in a cell": (_made("crossings.csv", _crossings(
        ROW.format(name='"A\nsecond line"', code="0104", value=5, lat="", lon=""),
        ROW.format(name="B", code="0105", value="x", lat="", lon=""))), None,
        {"loaded": 1, "quarantined": [(4, ["unparseable_number"])]}),
    "a column named twice": (_made("crossings.csv", BTS.replace("Longitude", "Value") + "A,Maine,0104,"
                                   "US-Canada Border,Jan 2024,Trucks,5,45.8,6\n"), None, {"error": "more than once"}),
    "semicolons where the profile reads commas": (_made("crossings.csv", BTS.replace(",", ";")
                                                        + "A;Maine;0104;US-Canada Border;Jan 2024;Trucks;5;;\n"),
                                                  None, {"error": "separated by semicolons"}),
    "latitude and longitude swapped": (_made("crossings.csv", _crossings(
        ROW.format(name="A", code="0104", value=5, lat="-70.4", lon="45.8"),
        ROW.format(name="B", code="0105", value=5, lat="45.8", lon="-70.4"))), None,
        {"loaded": 1, "quarantined": [(2, ["coordinates_swapped"])]}),
    "NaN, infinity and negative counts": (_made("crossings.csv", _crossings(
        ROW.format(name="A", code="0104", value="NaN", lat="", lon=""),
        ROW.format(name="B", code="0105", value="-3", lat="", lon=""),
        ROW.format(name="C", code="0106", value="inf", lat="", lon=""),
        ROW.format(name="D", code="0107", value="1e308", lat="", lon=""))), None,
        {"loaded": 0, "quarantined": [(2, ["unparseable_number"]), (3, ["negative_count"]),
                                      (4, ["unparseable_number"]), (5, ["number_out_of_range"])]}),
    "HTML and formulas in text": (_made("crossings.csv", _crossings(
        ROW.format(name='"=HYPERLINK(""http://127.0.0.1:9/x"")"', code="0104", value=5, lat="", lon=""),
        ROW.format(name="<script>alert(1)</script>", code="0105", value=6, lat="", lon=""),
        ROW.format(name="@SUM(A1)", code="0106", value=7, lat="", lon=""))), None,
        {"loaded": 3, "quarantined": []}),
    "a path with spaces and non-ASCII letters": (_made("dossier des données/passages frontière ü.csv", _crossings(
        ROW.format(name="A", code="0104", value=5, lat="", lon=""))), None, {"loaded": 1, "quarantined": []}),
    "a cell under a column the header does not name": (_made("crossings.csv", BTS.replace("\n", ",\n") + "".join([
        ROW.format(name="A", code="0104", value=5, lat="", lon="") + ",a stray note\n",
        ROW.format(name="B", code="0105", value=6, lat="", lon="") + ",\n"])), None,
        {"loaded": 1, "quarantined": [(2, ["extra_cells"])]}),
    "repeated and conflicting rows": (_made("crossings.csv", _crossings(
        ROW.format(name="A", code="0104", value=5, lat="", lon=""),
        ROW.format(name="A", code="0104", value=5, lat="", lon=""),
        ROW.format(name="B", code="0105", value=0, lat="", lon=""),
        ROW.format(name="B", code="0105", value=7, lat="", lon=""))), None,
        {"loaded": 1, "quarantined": [(3, ["exact_duplicate"]), (4, ["conflicting_duplicate"]),
                                      (5, ["conflicting_duplicate"])]}),
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
