"""A publisher's CSV as text before DuckDB reads it: its encoding by byte-order mark, its header, and the copies
made only for files DuckDB cannot read as they are (another encoding; line ends of more than one kind).

Each copy is streamed and made only when needed, so a well-formed UTF-8 file is read once by DuckDB and once by
the hash, never more.
"""

from __future__ import annotations

import codecs
import csv
import io
import tempfile
from pathlib import Path

from data_pipeline.errors import UserError

DELIMITERS = [",", ";", "\t", "|"]
# Byte-order marks, longest first: a UTF-16 file says its byte order in its first two bytes. Python's "utf-16"
# codec reads either order by its mark (DuckDB reads little-endian only, and a big-endian file as no rows).
BOMS = [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
CHUNK = 1 << 20


def bom_encoding(path: Path) -> str | None:
    """The encoding a file's byte-order mark names (utf-8 or utf-16), or None without one."""
    with open(path, "rb") as handle:
        start = handle.read(4)
    return next((name for bom, name in BOMS if start.startswith(bom)), None)


# Files that are not text, by their first bytes: what they are and what to do instead. A .gz file or a zip archive
# named for ingest is unpacked first (compressed.py) and a workbook read as one (sheets.py): one seen here was inside
# another.
CONTAINERS = [
    (b"\x1f\x8b", "gzip-compressed inside a compressed file; borderlens unpacks one level: unpack the outer file "
                  "and ingest what is inside"),
    (b"PK\x03\x04", "a zip archive inside a compressed file; borderlens unpacks one level: unpack the outer file and "
                     "ingest what is inside"),
    (b"PK\x05\x06", "an empty zip archive; there is nothing in it to ingest"),
    (b"\xd0\xcf\x11\xe0", "an Office file that is not a workbook; save the sheet as CSV and ingest that"),
    (b"%PDF", "a PDF document; borderlens reads CSV, JSON and GeoJSON"),
]
TAR_MAGIC = (257, b"ustar")  # where a tar archive says what it is


def refuse_non_text(path: Path) -> None:
    """Say in one line what a file is when it is not text (compressed, an archive, a spreadsheet, binary), rather
    than that no profile matches its 'header' of bytes."""
    with open(path, "rb") as handle:
        start = handle.read(4096)
    for magic, what in CONTAINERS:
        if start.startswith(magic):
            raise UserError(f"{path}: {what}")
    if start[TAR_MAGIC[0]:TAR_MAGIC[0] + len(TAR_MAGIC[1])] == TAR_MAGIC[1]:
        raise UserError(f"{path}: a tar archive; unpack it (tar -xf) and ingest the files inside")
    if bom_encoding(path) != "utf-16" and b"\x00" in start and not _utf8_start(start):
        raise UserError(f"{path}: not a text file (NUL bytes, and not UTF-8); borderlens reads CSV, JSON and "
                        f"GeoJSON as text, in UTF-8 or with a byte-order mark")


def _utf8_start(start: bytes) -> bool:
    """Whether the first bytes of a file are UTF-8 (a character cut at the end is fine): a NUL in valid UTF-8 is a
    control character in a cell, kept as published, not a sign of a binary file."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(start, final=False)
    except UnicodeDecodeError:
        return False
    return True


def file_encoding(path: Path, read: dict) -> str:
    """The encoding to read a CSV in: its byte-order mark's if it has one (a mark is unambiguous, and a file saved
    as UTF-16 by a spreadsheet is common), else the profile's [read] encoding (default utf-8)."""
    return bom_encoding(path) or read.get("encoding", "utf-8").lower()


def sniff_header(path: Path, encoding: str | None = None) -> tuple[list[str], str]:
    """The header of a CSV file and its delimiter, read from the first line (for profile detection)."""
    encoding = encoding or bom_encoding(path) or "utf-8"
    with open(path, "rb") as handle:
        first = handle.read(CHUNK)
    try:
        text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(first)
    except LookupError:
        text = first.decode("utf-8", errors="replace")
    # splitlines: also a file whose lines end in a bare CR (old Mac) gives its header alone
    text = (text.lstrip("\ufeff").splitlines() or [""])[0]
    delimiter = max(DELIMITERS, key=text.count)
    return next(csv.reader([text], delimiter=delimiter)), delimiter


def header_line(path: Path, delimiter: str, quote: str, encoding: str, skip: int) -> tuple[list[str], str]:
    """The header's names as the csv module splits them (after `skip` lines) and the line end that follows it
    (LF, CRLF or CR), for a read that does not let DuckDB guess the layout."""
    encoding = "utf-8-sig" if encoding in ("utf-8", "utf8") else encoding
    with open(path, encoding=encoding, newline="") as handle:
        for _ in range(skip):
            handle.readline()
        line = handle.readline(CHUNK)
    # as read_csv's new_line option spells them: a backslash and a letter
    ending = r"\r\n" if line.endswith("\r\n") else r"\r" if line.endswith("\r") else r"\n"
    names = next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter, quotechar=quote or None), [])
    return names, ending


def mixed_line_ends(path: Path) -> bool:
    """Whether the file ends its lines in more than one way (LF, CRLF, bare CR); streamed."""
    kinds: set[str] = set()
    carry = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            data = carry + chunk
            carry = data[-1:] if data.endswith(b"\r") else b""  # a CR at the end may start a CRLF
            data = data[:len(data) - len(carry)]
            crlf = data.count(b"\r\n")
            if crlf:
                kinds.add("crlf")
            if data.count(b"\n") > crlf:
                kinds.add("lf")
            if data.count(b"\r") > crlf:
                kinds.add("cr")
            if len(kinds) > 1:
                return True
    if carry:
        kinds.add("cr")
    return len(kinds) > 1


def lf_copy(path: Path) -> Path:
    """A copy of a file with every CRLF and bare CR made LF (streamed), in a new temporary file: DuckDB reads one
    kind of line end per file. A line end inside a quoted cell becomes LF too (documented in docs/profiles.md)."""
    handle, name = tempfile.mkstemp(suffix=".csv", prefix="borderlens-lf-")
    out = Path(name)
    try:
        with open(handle, "wb") as dst, open(path, "rb") as src:
            carry = b""
            while chunk := src.read(CHUNK):
                data = carry + chunk
                carry = data[-1:] if data.endswith(b"\r") else b""
                data = data[:len(data) - len(carry)]
                dst.write(data.replace(b"\r\n", b"\n").replace(b"\r", b"\n"))
            dst.write(carry.replace(b"\r", b"\n"))
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    return out


def utf8_copy(path: Path, encoding: str) -> Path:
    """A UTF-8 copy of a file in an encoding DuckDB does not read itself (streamed, not held in memory).

    Bytes the encoding cannot decode are the profile's mistake (or the file's): one line naming the file, the
    encoding, the byte offset and the line, and the partial copy is removed."""
    try:
        decoder = codecs.getincrementaldecoder(encoding)()
        io.TextIOWrapper(io.BytesIO(), encoding=encoding)  # a text encoding, not e.g. base64
    except LookupError:
        raise UserError(f"{path}: unknown encoding '{encoding}' in the profile") from None
    handle, name = tempfile.mkstemp(suffix=".csv", prefix="borderlens-")
    out = Path(name)
    offset = lines = 0  # bytes read before this chunk; line breaks decoded so far
    try:
        with open(handle, "w", encoding="utf-8", newline="") as dst, open(path, "rb") as src:
            while True:
                chunk = src.read(CHUNK)
                state = decoder.getstate()
                pending = len(state[0]) if isinstance(state, tuple) and isinstance(state[0], bytes) else 0
                try:
                    text = decoder.decode(chunk, final=not chunk)
                except UnicodeDecodeError as exc:
                    at = offset - pending + exc.start
                    before = exc.object[:exc.start].decode(encoding, errors="replace")
                    raise UserError(
                        f"{path}: not {encoding} text ([read] encoding = \"{encoding}\" in the profile): byte "
                        f"0x{exc.object[exc.start]:02x} at offset {at} (line {lines + before.count(chr(10)) + 1}) "
                        f"cannot be decoded; set [read] encoding to the file's encoding") from None
                dst.write(text)
                lines += text.count("\n")
                offset += len(chunk)
                if not chunk:
                    break
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    return out


def csv_problem(exc: Exception) -> str:
    """DuckDB's reason in one line; its sniffer's long message in plain words (nothing of the file is loaded)."""
    first = str(exc).splitlines()[0]
    if "Maximum line size" in str(exc):
        return ("a line is over the 2 MB maximum, and the header's columns cannot be read in its place (a header "
                "over 1 MB or naming a column twice); nothing was loaded")
    if "sniffing" in first:
        return ("no consistent rows and columns found (an unclosed quote, a line over 2 MB, or not CSV text); "
                "nothing was loaded")
    return first


def split_line(text: str, delimiter: str, quote: str) -> list[str]:
    """A rejected line's values as the CSV reader would split them; a line it cannot split stays one value."""
    try:
        return next(csv.reader([text], delimiter=delimiter, quotechar=quote or None), [])
    except csv.Error:
        return [text]


def unnamed_columns(path: Path, header: list[str], delimiter: str, quote: str, encoding: str, skip: int) -> list[str]:
    """The reader's names of the columns the header leaves blank (a trailing comma: 'Value,'): a cell under one is
    beyond what the publisher named, and the row goes to quarantine as extra_cells rather than losing it."""
    try:
        names, _ = header_line(path, delimiter, quote, encoding, skip)
    except (UnicodeDecodeError, LookupError, csv.Error, OSError):
        return []
    if len(names) != len(header):
        return []
    return [column for column, name in zip(header, names) if not name.strip()]
