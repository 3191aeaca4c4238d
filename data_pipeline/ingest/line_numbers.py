"""Physical line numbers for CSV files whose records do not each take one line.

DuckDB's CSV reader numbers records, not lines: a blank line, or a quoted cell holding a line break, would shift
every later record's line. The ingest counts the file's line breaks while hashing it; only when they do not match
one line per record does this module read the file again, with Python's csv module, to learn the line each record
starts on. That map is used only if it agrees with DuckDB's reading (as many records of the header's width, as
many rejected lines), so a file is never numbered worse than by counting records.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import duckdb

from data_pipeline.db import sql
from data_pipeline.ingest.profiles import Profile
from data_pipeline.ingest.staging import RawFile
from data_pipeline.ingest.text_files import file_encoding

TAIL_BYTES = 1 << 16


def _lines_with_content(path: Path, newlines: int) -> int:
    """Lines of the file, not counting blank lines at its end (newlines: the count of b"\\n" in it)."""
    size = path.stat().st_size
    with open(path, "rb") as handle:
        handle.seek(max(0, size - TAIL_BYTES))
        tail = handle.read()
    trailing = tail[len(tail.rstrip(b"\r\n")):].count(b"\n")
    return newlines - trailing + (1 if size else 0)


def one_line_per_record(path: Path, profile: Profile, raw: RawFile, newlines: int) -> bool:
    """Whether the skipped lines, the header, the records and the rejected lines fill the file's lines exactly."""
    expected = int(profile.read.get("skip_lines", 0)) + 1 + raw.rows + len(raw.rejected)
    return _lines_with_content(path, newlines) == expected


def record_starts(path: Path, profile: Profile, width: int) -> tuple[list[int], list[int]] | None:
    """The line each record of the header's width starts on, and each other record, by Python's csv module;
    None if the file cannot be read that way."""
    read = profile.read
    encoding = file_encoding(path, read)
    skip = int(read.get("skip_lines", 0))
    fits: list = []
    misfits: list = []
    try:
        with open(path, encoding="utf-8-sig" if encoding in ("utf-8", "utf8") else encoding, newline="") as handle:
            for _ in range(skip):
                handle.readline()
            reader = csv.reader(handle, delimiter=read.get("delimiter", ","), quotechar=read.get("quote", '"'))
            next(reader, None)  # the header
            end = reader.line_num
            for record in reader:
                start, end = end + 1, reader.line_num
                if record:  # a blank line is no record, for DuckDB as here
                    (fits if len(record) == width else misfits).append(start + skip)
    except (UnicodeDecodeError, LookupError, csv.Error, OSError):
        return None
    return fits, misfits


def exact_lines(con: duckdb.DuckDBPyConnection, path: Path, profile: Profile, raw: RawFile,
                newlines: int) -> RawFile:
    """raw, with a line map (table _line_map: rid, line) and the rejected records' own lines when the file's
    records do not each take one line and Python's csv reading agrees with DuckDB's; else raw unchanged."""
    if profile.format != "csv" or one_line_per_record(path, profile, raw, newlines):
        return raw
    starts = record_starts(path, profile, len(raw.header))
    if starts is None:
        return raw
    fits, misfits = starts
    if len(fits) != raw.rows or len(misfits) != len(raw.rejected):
        return raw
    con.execute(sql("staging/line_map"), {"lines": fits})
    rejected = [{**reject, "line": line} for reject, line in zip(sorted(raw.rejected, key=lambda r: r["line"]),
                                                                   misfits)]
    return replace(raw, rejected=rejected, line_map=True)
