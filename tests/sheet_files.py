"""Small spreadsheets for the tests, written with zipfile and the least XML a reader accepts (python-calamine only
reads, and no spreadsheet writer is a dependency): .xlsx (Office Open XML) and .ods (OpenDocument); and .xls (Excel
97-2003: BIFF8 records in a Compound File, built with struct: the records a reader needs, strings as UTF-16).

A sheet is a list of rows; a row a list of cells: str, int, float, bool, datetime.date / datetime.datetime, or None
(an empty cell). The files are the same bytes for the same sheets (fixed member times), so a committed example can
be checked against its generator (docs/examples/notices_2025.xlsx: `python tests/sheet_files.py`).
"""

from __future__ import annotations

import struct
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


# --------------------------------------------------------------------------------------------- .xls (BIFF8)


def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _bof(dt: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, dt, 0x0DBB, 0x07CC, 0, 6))


def _text(text: str, width: int) -> bytes:  # XLUnicodeString (width 2) or ShortXLUnicodeString (width 1), UTF-16
    return (struct.pack("<H", len(text)) if width == 2 else struct.pack("<B", len(text))) + b"\x01" + \
        text.encode("utf-16-le")


def _cell(r: int, c: int, value) -> bytes:
    if value is None:
        return b""
    if isinstance(value, bool):
        return _record(0x0205, struct.pack("<HHHBB", r, c, 0, int(value), 0))
    if isinstance(value, datetime):
        return _record(0x0203, struct.pack("<HHHd", r, c, 2, (value - _EPOCH).total_seconds() / 86400))
    if isinstance(value, date):
        return _record(0x0203, struct.pack("<HHHd", r, c, 1, float((value - _EPOCH.date()).days)))
    if isinstance(value, (int, float)):
        return _record(0x0203, struct.pack("<HHHd", r, c, 0, float(value)))
    return _record(0x0204, struct.pack("<HHH", r, c, 0) + _text(str(value), 2))


def _xf(fmt: int) -> bytes:
    return _record(0x00E0, struct.pack("<HHH", 0, fmt, 0x0001) + bytes(14))


def workbook_stream(sheets) -> bytes:
    names = list(sheets)
    bodies = []
    for rows in sheets.values():
        width = max((len(r) for r in rows), default=0)
        body = _bof(0x0010) + _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
        for r, row in enumerate(rows):
            body += b"".join(_cell(r, c, v) for c, v in enumerate(row))
        bodies.append(body + _record(0x000A, b""))
    head = _bof(0x0005) + _record(0x0042, struct.pack("<H", 1200)) + _xf(0) + _xf(14) + _xf(22)
    sheet_records = [len(_record(0x0085, struct.pack("<IBB", 0, 0, 0) + _text(n, 1))) for n in names]
    offset = len(head) + sum(sheet_records) + 4
    bound = b""
    for name, body in zip(names, bodies):
        bound += _record(0x0085, struct.pack("<IBB", offset, 0, 0) + _text(name, 1))
        offset += len(body)
    return head + bound + _record(0x000A, b"") + b"".join(bodies)


def compound_file(stream: bytes) -> bytes:
    """A Compound File Binary (v3, 512-byte sectors) holding one stream, 'Workbook', of at least 4096 bytes."""
    stream = stream + bytes(max(0, 4096 - len(stream)))
    stream += bytes(-len(stream) % 512)
    n = len(stream) // 512
    assert n + 2 <= 128
    free, end, fat_sect, none = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + bytes(6) + struct.pack("<IIIIIIIII", 0, 1, n, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", n + 1) + struct.pack("<I", free) * 108)

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (name.encode("utf-16-le") + b"\x00\x00") if name else b""
        return (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1 if name else 0)
                + struct.pack("<III", none, none, child) + bytes(16) + struct.pack("<I", 0) + bytes(16)
                + struct.pack("<IQ", start, size))
    directory = (entry("Root Entry", 5, 1, end, 0) + entry("Workbook", 2, none, 0, len(stream))
                 + entry("", 0, none, 0, 0) + entry("", 0, none, 0, 0))
    fat = [*range(1, n), end, end, fat_sect] + [free] * (128 - n - 2)
    return header + stream + directory + struct.pack("<128I", *fat)


def xls(path: Path, sheets: Sheets) -> Path:
    """An Excel 97-2003 workbook with one worksheet per entry (cells of at most a few thousand characters)."""
    path.write_bytes(compound_file(workbook_stream(sheets)))
    return path


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
