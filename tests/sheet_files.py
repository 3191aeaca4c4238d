"""Small spreadsheets for the tests, written with zipfile and the least XML a reader accepts (python-calamine only
reads, and no spreadsheet writer is a dependency): .xlsx (Office Open XML) and .ods (OpenDocument).

A sheet is a list of rows; a row a list of cells: str, int, float, bool, datetime.date / datetime.datetime, or None
(an empty cell). The files are the same bytes for the same sheets (fixed member times), so a committed example can
be checked against its generator (docs/examples/notices_2025.xlsx: `python tests/sheet_files.py`).
"""

from __future__ import annotations

import sys
import zipfile
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

Sheets = dict[str, list[list]]
_TIME = (2025, 1, 1, 0, 0, 0)
_EPOCH = datetime(1899, 12, 30)  # Excel's day 0 (1900 date system, after its 1900-02-29 bug)


def _write(path: Path, members: list[tuple[str, str]], stored_first: bool = False) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for n, (name, text) in enumerate(members):
            info = zipfile.ZipInfo(name, _TIME)
            info.compress_type = zipfile.ZIP_STORED if stored_first and n == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
    return path


def _column(n: int) -> str:
    letters = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _xlsx_cell(ref: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime):
        serial = (value - _EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="2"><v>{serial!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="1"><v>{(value - _EPOCH.date()).days}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def xlsx(path: Path, sheets: Sheets, first_row: int = 1) -> Path:
    """A workbook with one worksheet per entry; rows start at sheet row first_row."""
    names = list(sheets)
    members = [
        ("[Content_Types].xml",
         '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
         'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
         'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
         'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
         '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
         'spreadsheetml.styles+xml"/>' + "".join(
             f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-'
             f'officedocument.spreadsheetml.worksheet+xml"/>' for n in range(1, len(names) + 1)) + "</Types>"),
        ("_rels/.rels",
         '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
         '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        ("xl/workbook.xml",
         '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
         '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>' +
         "".join(f'<sheet name={quoteattr(name)} sheetId="{n}" r:id="rId{n}"/>'
                 for n, name in enumerate(names, start=1)) + "</sheets></workbook>"),
        ("xl/_rels/workbook.xml.rels",
         '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
         '2006/relationships">' + "".join(
             f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
             f'worksheet" Target="worksheets/sheet{n}.xml"/>' for n in range(1, len(names) + 1)) +
         f'<Relationship Id="rId{len(names) + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         f'relationships/styles" Target="styles.xml"/></Relationships>'),
        ("xl/styles.xml",  # style 1: a date (built-in format 14), style 2: a date and time (22)
         '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
         '2006/main"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/>'
         '</borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0"/>'
         '<xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="22" applyNumberFormat="1"/></cellXfs>'
         '</styleSheet>'),
    ]
    for n, rows in enumerate(sheets.values(), start=1):
        body = "".join(
            f'<row r="{r}">' + "".join(_xlsx_cell(f"{_column(c)}{r}", v) for c, v in enumerate(row)) + "</row>"
            for r, row in enumerate(rows, start=first_row) if any(v is not None for v in row))
        members.append((f"xl/worksheets/sheet{n}.xml",
                        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                        f'spreadsheetml/2006/main"><sheetData>{body}</sheetData></worksheet>'))
    return _write(path, members)


def _ods_cell(value) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, bool):
        return (f'<table:table-cell office:value-type="boolean" office:boolean-value="{str(value).lower()}">'
                f"<text:p>{str(value).upper()}</text:p></table:table-cell>")
    if isinstance(value, (date, datetime)):
        return (f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
                f"<text:p>{value.isoformat()}</text:p></table:table-cell>")
    if isinstance(value, (int, float)):
        return (f'<table:table-cell office:value-type="float" office:value="{value!r}"><text:p>{value!r}</text:p>'
                f"</table:table-cell>")
    lines = "".join(f"<text:p>{escape(line)}</text:p>" for line in str(value).split("\n"))
    return f'<table:table-cell office:value-type="string">{lines}</table:table-cell>'


def ods(path: Path, sheets: Sheets) -> Path:
    """An OpenDocument spreadsheet with one table per entry."""
    tables = "".join(
        f"<table:table table:name={quoteattr(name)}>" + "".join(
            "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>" for row in rows) +
        "</table:table>" for name, rows in sheets.items())
    namespaces = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    return _write(path, [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml",
         '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
         'xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-'
         'type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
         '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>'),
        ("content.xml",
         f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {namespaces} office:version="1.2">'
         f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"),
    ], stored_first=True)


def docs_example(path: Path) -> Path:
    """docs/examples/notices_2025.xlsx (docs/profiles.md, Spreadsheets): invented notices, marked so in the sheet."""
    header = ["Notice", "Exercise", "Notifying state", "Start", "End", "Troops", "Latitude", "Longitude"]
    rows = [
        ["Exercise notices 2025 (invented for the borderlens documentation)"] + [None] * 7,
        ["Ministry of Defence of an example state"] + [None] * 7,
        header,
        ["EX-2025-01", "Northern Dawn", "Estonia", date(2025, 3, 3), date(2025, 3, 14), 4200.0, 59.35, 27.4],
        ["EX-2025-02", "Baltic Shield", "Latvia", "12.05.2025", "16.05.2025", 950, 56.5, 27.3],
        [None] * 8,
        ["EX-2025-03", "Lakeside", "Lithuania", date(2025, 6, 2), date(2025, 6, 6), "several hundred", 55.1, 26.1],
        ["EX-2025-04", "Winter Watch", "Finland", datetime(2025, 11, 3, 6, 0), date(2025, 11, 21), 3000.0, 61.2,
         28.9],
    ]
    return xlsx(path, {"About": [["Invented example data for docs/profiles.md"]], "Notices 2025": rows})


if __name__ == "__main__":  # renew the committed example
    docs_example(Path(__file__).resolve().parent.parent / "docs" / "examples" / "notices_2025.xlsx")
    sys.exit(0)
