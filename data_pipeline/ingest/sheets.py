"""Spreadsheets (.xlsx, .xls, .ods) as read formats: one sheet, by name or number, read through python-calamine.

The sheet is written as a CSV (UTF-8, commas) in a new temporary folder and read by the CSV path, so every check,
vocabulary and quarantine of a CSV applies to its rows unchanged; line numbers are the sheet's row numbers (the
header's row, then each data row's, as the spreadsheet program shows them), through the line map a CSV whose records
do not each take one line uses (line_numbers.py). Cells become text as a publisher would have typed them: a number as
a number (a whole number without a decimal part: 12.0 is 12; other numbers with the profile's decimal mark and no
thousands separator), a date as an ISO date (2025-03-05; with its time, 2025-03-05 14:30:00; the ISO formats are
added to the profile's [dates] formats for such a file), a boolean as true/false, an empty cell as missing.
A row of empty cells is no record (as a blank line of a CSV is not).

The header is the first row that is not empty after the profile's [read] skip_lines rows (the sheet's title rows).
A workbook that cannot be opened (broken, encrypted, not a workbook), a sheet that is not there, and a sheet with no
header are one line naming the file (exit code 2).
"""

from __future__ import annotations

import csv
import math
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb

from data_pipeline.db import sql
from data_pipeline.errors import UserError
from data_pipeline.ingest.profiles import Profile
from data_pipeline.ingest.staging import RawFile

SHEET_SUFFIXES = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .xls (and any Office file before 2007, or an encrypted one)
ISO_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S")  # how a date cell is written for the CSV read


def sheet_kind(path: Path) -> str | None:
    """xlsx, xls or ods when the file is a workbook by its bytes (or a zip named as one: a broken workbook is
    reported as such), else None."""
    with open(path, "rb") as handle:
        start = handle.read(8)
    if start.startswith(OLE_MAGIC):
        return "xls"
    if not start.startswith(b"PK"):
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                return "xlsx"
            if "mimetype" in names and b"spreadsheet" in archive.read("mimetype"):
                return "ods"
    except (zipfile.BadZipFile, EOFError, ValueError, KeyError):
        pass
    return SHEET_SUFFIXES.get(path.suffix.lower())


def _workbook(path: Path):
    import python_calamine

    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        raise UserError(f"{path}: the workbook is protected by a password; save it without one (or save the "
                        f"sheet as CSV) and ingest that") from None
    except Exception as exc:  # calamine's errors (zip, XML, CFB, ...) and any other: the file is not readable
        with open(path, "rb") as handle:
            encrypted = handle.read(8).startswith(OLE_MAGIC) and \
                "EncryptedPackage".encode("utf-16-le") in handle.read(1 << 24)
        if encrypted:  # an encrypted .xlsx is an OLE container holding the encrypted package
            raise UserError(f"{path}: the workbook is encrypted (protected by a password); save it without one "
                            f"(or save the sheet as CSV) and ingest that") from None
        reason = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise UserError(f"{path}: a broken or unreadable workbook ({reason}); nothing of it was loaded") from None


def _sheet(book, path: Path, wanted):
    """The sheet a profile names: a name (exact, else ignoring case and surrounding spaces) or a number from 1."""
    names = list(book.sheet_names)
    listed = ", ".join(repr(n) for n in names[:10]) + (", ..." if len(names) > 10 else "")
    if not names:
        raise UserError(f"{path}: the workbook has no sheets")
    if isinstance(wanted, int):
        if not 1 <= wanted <= len(names):
            raise UserError(f"{path}: no sheet {wanted}: the workbook has {len(names)} sheet(s) ({listed})")
        return book.get_sheet_by_index(wanted - 1)
    found = wanted if wanted in names else next(
        (n for n in names if n.strip().lower() == str(wanted).strip().lower()), None)
    if found is None:
        raise UserError(f"{path}: no sheet named {wanted!r}: the workbook has {listed}")
    return book.get_sheet_by_name(found)


def _rows(path: Path, read: dict) -> Iterator[tuple[int, list]]:
    """(sheet row number from 1, cells) of each row of the profile's sheet that is not empty."""
    book = _workbook(path)
    try:
        sheet = _sheet(book, path, read.get("sheet", 1))
        try:
            rows = sheet.to_python(skip_empty_area=True)
        except Exception as exc:  # a sheet whose XML is broken
            raise UserError(f"{path}: sheet {sheet.name!r} cannot be read ({str(exc).splitlines()[0]})") from None
        # calamine gives the rows from the first row (or from the first row that is not empty: the offset tells)
        offset = sheet.end[0] + 1 - len(rows) if rows and sheet.end else 0
        for number, cells in enumerate(rows, start=offset + 1):
            if any(c is not None and c != "" for c in cells):
                yield number, cells
    finally:
        book.close()


def _split(path: Path, read: dict) -> tuple[int, list, Iterator[tuple[int, list]]]:
    """The header's row number and cells, and the data rows after it."""
    skip = int(read.get("skip_lines", 0))
    rows = (row for row in _rows(path, read) if row[0] > skip)
    header = next(rows, None)
    if header is None:
        where = f" below row {skip} ([read] skip_lines)" if skip else ""
        raise UserError(f"{path}: the sheet is empty{where}: no header row found")
    return header[0], header[1], rows


def sheet_headers(path: Path) -> Callable[[Profile], list[str]]:
    """For detection: the header a profile would read (its sheet, after its skip_lines), [] if the workbook has no
    such sheet. A workbook that cannot be opened is refused now, whatever the profile."""
    _workbook(path).close()
    seen: dict[tuple, list[str]] = {}

    def header(profile: Profile) -> list[str]:
        key = (profile.read.get("sheet", 1), int(profile.read.get("skip_lines", 0)))
        if key not in seen:
            try:
                seen[key] = [_cell(c, ".") for c in _split(path, profile.read)[1]]
            except UserError:
                seen[key] = []
        return seen[key]

    return header


def _cell(value, decimal: str) -> str:
    """A cell as text (see the module's docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        text = str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
        return text.replace(".", decimal)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def csv_view(profile: Profile) -> Profile:
    """The profile as the CSV copy of its sheet is read: commas, double quotes, UTF-8, the header first; and the
    ISO date formats the date cells are written in."""
    read = {k: v for k, v in profile.read.items() if k != "sheet"}
    read.update(format="csv", delimiter=",", quote='"', encoding="utf-8", skip_lines=0)
    formats = (*profile.date_formats, *(f for f in ISO_FORMATS if f not in profile.date_formats))
    return replace(profile, read=read, date_formats=formats)


@contextmanager
def sheet_as_csv(path: Path, profile: Profile) -> Iterator[tuple[Path, Profile, list[int]]]:
    """The profile's sheet written as a CSV in a new temporary folder (removed on leaving), the profile to read it
    with, and the sheet row number of each record written. A UserError about the copy names the workbook."""
    header_row, header, rows = _split(path, profile.read)
    decimal = profile.read.get("decimal", ".")
    folder = Path(tempfile.mkdtemp(prefix="borderlens-sheet-"))
    copy = folder / "sheet.csv"
    lines = [header_row]
    try:
        with open(copy, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(_cell(c, ".") for c in header)
            for number, cells in rows:
                writer.writerow(_cell(c, decimal) for c in cells)
                lines.append(number)
        try:
            yield copy, csv_view(profile), lines
        except UserError as exc:
            raise UserError(str(exc).replace(str(copy), str(path))) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def sheet_lines(con: duckdb.DuckDBPyConnection, path: Path, raw: RawFile, lines: list[int]) -> RawFile:
    """raw numbered by the sheet's rows: lines[0] is the header's row, lines[1:] each record's."""
    if raw.rows != len(lines) - 1 or raw.rejected:
        raise UserError(f"{path}: the sheet's {len(lines) - 1} rows did not read back as {len(lines) - 1} records "
                        f"({raw.rows} read, {len(raw.rejected)} rejected); save the sheet as CSV and ingest that")
    con.execute(sql("staging/line_map"), {"lines": lines[1:]})
    return replace(raw, line_map=True)
