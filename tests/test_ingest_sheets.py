"""Spreadsheets as read formats (issue 11, point 4): a sheet of an .xlsx or .ods workbook, by name or number, below
its title rows, read through the real CLI into a real DuckDB file, its rows numbered as the sheet's rows; detection
by the sheet's header; workbooks inside a zip; a broken, encrypted or empty workbook and a missing sheet are one
line, exit code 2. The workbooks (.xlsx, .ods and .xls) are written by tests/sheet_files.py (no writer is a
dependency)."""

from __future__ import annotations

import json
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

import sheet_files
from support import REPO, ingest_json, one_line_error, query, run_cli

PROFILE = """
[profile]
name = "ministry-notices-sheet"
dataset = "exercise_notices"
publisher = "A ministry of defence"

[detect]
columns = ["Notice", "Country", "Start", "End", "Troops"]

[read]
format = "xlsx"
sheet = "Notices"
skip_lines = 2

[dates]
formats = ["%d.%m.%Y"]

[fields]
notice_id = "Notice"
designation = "Name"
notifying_iso3 = { column = "Country", map = "countries" }
start_date = "Start"
end_date = "End"
troops = "Troops"
lat = "Lat"
lon = "Lon"
"""
HEADER = ["Notice", "Name", "Country", "Start", "End", "Troops", "Lat", "Lon"]
ROWS = [
    ["Exercise notices 2025", None, None, None, None, None, None, None],           # row 1: a title
    ["As notified under the Vienna Document", None, None, None, None, None, None, None],  # row 2
    HEADER,                                                                           # row 3
    ["N-1", "Spring Shield", "Estonia", date(2025, 3, 5), date(2025, 3, 9), 12.0, 58.9, 25.5],   # row 4
    ["N-2", "Dates as text", "Latvia", "05.04.2025", "08.04.2025", 1500, 56.95, 24.1],          # row 5
    [None] * 8,                                                                       # row 6: empty, no record
    ["N-3", "Bad count", "Lithuania", date(2025, 5, 1), date(2025, 5, 2), "many", None, None],  # row 7
    ["N-4", "A date with its time", "EST", datetime(2025, 6, 1, 8, 30), date(2025, 6, 3), None, None, None],
    ["N-5", "Line\nbreak", "LVA", date(2025, 7, 9), date(2025, 7, 1), 7, None, None],          # row 9
]
SHEETS = {"About": [["These notices are published monthly."]], "Notices": ROWS}


def _profile(folder: Path, text: str = PROFILE) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "notices-sheet.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _check_loaded(db: Path, source: dict) -> None:
    """The values, types and sheet row numbers of the workbook above, and read = loaded + quarantined."""
    assert (source["rows_read"], source["rows_loaded"], source["rows_quarantined"]) == (5, 3, 2), source
    sid = source["source_id"]
    rows = query(db, "select notice_id, designation, notifying_iso3, start_date, end_date, troops, lat, lon, "
                     "source_line from exercise_notices where source_id = ? order by notice_id", [sid])
    assert rows == [
        ("N-1", "Spring Shield", "EST", date(2025, 3, 5), date(2025, 3, 9), 12, 58.9, 25.5, 4),
        ("N-2", "Dates as text", "LVA", date(2025, 4, 5), date(2025, 4, 8), 1500, 56.95, 24.1, 5),
        ("N-4", "A date with its time", "EST", date(2025, 6, 1), date(2025, 6, 3), None, None, None, 8),
    ]
    assert isinstance(rows[0][5], int)
    quarantined = query(db, "select line_no, reasons, raw_record from quarantine where source_id = ? "
                            "order by line_no", [sid])
    assert [(line, reasons) for line, reasons, _ in quarantined] == [(7, ["unparseable_number"]),
                                                                      (9, ["end_before_start"])]
    first = json.loads(quarantined[0][2])
    assert first["Troops"] == "many" and first["Start"] == "2025-05-01" and first["Notice"] == "N-3"
    assert json.loads(quarantined[1][2])["Name"] == "Line\nbreak"
    assert query(db, "select rows_read, rows_loaded, rows_quarantined from sources where source_id = ?",
                 [sid]) == [(5, 3, 2)]


@pytest.mark.parametrize("kind", ["xlsx", "ods", "xls"])
def test_a_sheet_loads_with_its_row_numbers(kind: str, tmp_path: Path):
    book = getattr(sheet_files, kind)(tmp_path / f"notices.{kind}", SHEETS)
    db = tmp_path / "work.duckdb"
    [source] = ingest_json(db, book, profile=str(_profile(tmp_path / "profiles")))
    _check_loaded(db, source)
    assert query(db, "select file_name from sources") == [(f"notices.{kind}",)]


def test_a_sheet_is_detected_by_its_header_and_by_number(tmp_path: Path):
    """Without --profile: the profile whose sheet's header (below its title rows) has its columns; an .ods fits a
    profile written for .xlsx. A profile naming the sheet by number reads the same."""
    folder = tmp_path / "profiles"
    _profile(folder, PROFILE.replace('sheet = "Notices"', "sheet = 2"))
    book = sheet_files.ods(tmp_path / "notices.ods", SHEETS)
    db = tmp_path / "work.duckdb"
    out = json.loads(run_cli("ingest", book, "--db", db, "--profiles", folder, "--json").stdout)["sources"]
    assert [s["profile"] for s in out] == ["ministry-notices-sheet"]
    _check_loaded(db, out[0])
    # a second sheet with two of the five columns: no profile fits it, and the line says which came closest
    other = sheet_files.xlsx(tmp_path / "other.xlsx", {"About": [["x"]], "Notices": [
        ["title"], ["title"], ["Notice", "Country", "When"], ["N-1", "EST", "2025-01-01"]]})
    line = one_line_error(run_cli("ingest", other, "--db", db, "--profiles", folder, check=False))
    assert "no profile fits this layout; closest: ministry-notices-sheet (40% of its columns" in line


def test_sheets_inside_a_zip_are_sources_of_their_own(tmp_path: Path):
    archive = tmp_path / "notices.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(sheet_files.xlsx(tmp_path / "a.xlsx", SHEETS), "2025/notices.xlsx")
        zipped.write(sheet_files.ods(tmp_path / "b.ods", SHEETS), "notices.ods")
        zipped.write(sheet_files.xls(tmp_path / "c.xls", SHEETS), "old/notices.xls")
    db = tmp_path / "work.duckdb"
    sources = ingest_json(db, archive, profile=str(_profile(tmp_path / "profiles")))
    assert [s["path"] for s in sources] == [f"{archive}!2025/notices.xlsx", f"{archive}!notices.ods",
                                            f"{archive}!old/notices.xls"]
    # one table in three workbook formats is three files (their bytes differ): versions of one series, the last
    # one current; each numbered by the sheet's rows
    assert [(s["status"], s["rows_read"], s["rows_loaded"], s["rows_quarantined"]) for s in sources] == \
        [("loaded", 5, 3, 2)] * 3
    _check_loaded(db, sources[2])
    assert query(db, "select count(distinct source_id), min(line_no), max(line_no) from quarantine") == \
        [(3, 7, 9)]


def _refused(tmp_path: Path, book: Path, profile: str = PROFILE) -> str:
    return one_line_error(run_cli("ingest", book, "--db", tmp_path / "work.duckdb", "--profile",
                                  _profile(tmp_path / "profiles", profile), check=False))


def test_a_workbook_that_cannot_be_read_is_one_line(tmp_path: Path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"not a workbook" * 20)
    assert _refused(tmp_path, broken).startswith(f"borderlens: {broken}: a broken or unreadable workbook (")
    encrypted = tmp_path / "encrypted.xlsx"  # what a password gives an .xlsx: an OLE container, encrypted package
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le")
                          + bytes(1000))
    assert _refused(tmp_path, encrypted) == (f"borderlens: {encrypted}: the workbook is encrypted (protected by a "
                                             f"password); save it without one (or save the sheet as CSV) and "
                                             f"ingest that")
    empty = sheet_files.xlsx(tmp_path / "empty.xlsx", {"Notices": []})
    assert _refused(tmp_path, empty) == (f"borderlens: {empty}: the sheet is empty below row 2 ([read] skip_lines): "
                                         f"no header row found")
    missing = sheet_files.ods(tmp_path / "missing.ods", {"About": [["x"]], "Data": ROWS})
    assert _refused(tmp_path, missing) == f"borderlens: {missing}: no sheet named 'Notices': the workbook has " \
                                          f"'About', 'Data'"
    assert _refused(tmp_path, missing, PROFILE.replace('sheet = "Notices"', "sheet = 3")) == \
        f"borderlens: {missing}: no sheet 3: the workbook has 2 sheet(s) ('About', 'Data')"
    csv_file = tmp_path / "notices.csv"
    csv_file.write_text(",".join(HEADER) + "\n", encoding="utf-8")
    assert _refused(tmp_path, csv_file) == (f"borderlens: {csv_file}: the file is not a spreadsheet, but profile "
                                            f"ministry-notices-sheet reads xlsx")
    assert query(tmp_path / "work.duckdb", "select count(*) from sources") == [(0,)]


def test_a_sheet_profile_is_checked(tmp_path: Path):
    bad = PROFILE.replace('skip_lines = 2', 'skip_lines = 2\ndelimiter = ";"')
    line = _refused(tmp_path, sheet_files.xlsx(tmp_path / "n.xlsx", SHEETS), bad)
    assert line.endswith('[read] delimiter does not apply to a workbook ([read] format = "xlsx")')
    line = _refused(tmp_path, sheet_files.xlsx(tmp_path / "n.xlsx", SHEETS), PROFILE.replace('"Notices"', "0"))
    assert line.endswith("[read] sheet (a name, or a number from 1) must be a whole number of at least 1, not 0")


def test_the_docs_example_workbook_is_its_generator_s(tmp_path: Path):
    """docs/examples/notices_2025.xlsx is what tests/sheet_files.py writes (`python tests/sheet_files.py`)."""
    assert sheet_files.docs_example(tmp_path / "x.xlsx").read_bytes() == \
        (REPO / "docs/examples/notices_2025.xlsx").read_bytes()
