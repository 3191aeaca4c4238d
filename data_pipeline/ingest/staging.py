"""Staging: read a publisher file as text inside DuckDB, then map its columns to the dataset's fields.

The read keeps every cell as text (all_varchar) so nothing is lost before validation. The mapping SELECT is
generated from the profile: identifiers come only from the file's own header (an allow-list), and every
literal from the profile travels as a bound parameter (into a session variable that the view reads with
getvariable, since a view cannot hold parameters).

Speed: a CSV's text lands in a throwaway DuckDB database attached for the ingest (SCRATCH; in memory for a file
under 128 MB, else a file), where it is stored compressed; functions of a column then run once per distinct value
(dictionary vectors), which is what makes the staging and validation SQL cheap on files of millions of rows, and
keeps memory low. _stg is a view over it, computed as it is read, never stored.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from data_pipeline.ingest.cube import dimension_selects
from data_pipeline.db import sql
from data_pipeline.errors import UserError
from data_pipeline.ingest.field_sources import SOURCES, source_sql
from data_pipeline.ingest.profiles import DUCKDB_ENCODINGS, Profile
from data_pipeline.ingest.text_files import (csv_problem, file_encoding, header_line, lf_copy, mixed_line_ends,
                                              split_line, unnamed_columns)
from data_pipeline.ingest.text_files import sniff_header  # noqa: F401 (ingest and the tests take it from here)
from data_pipeline.ingest.text_files import utf8_copy as _utf8_copy
from data_pipeline.ingest import identifiers, row_filters, transforms
from data_pipeline.ingest.vocabularies import builtin_vocabulary

RAW = "_raw"      # the file as read: one text column per publisher column (or one JSON record per row)
STAGED = "_stg"   # the dataset's fields as text, with _line (a view)
SCRATCH = "_bl_scratch"  # catalog of the throwaway database that holds a CSV's _raw during an ingest
SMALL_FILE = 16 * 32_000_000  # bytes: a CSV under this is read in smaller buffers (reader_buffer_size)
STAGED_IN_MEMORY_BELOW = 128 << 20  # bytes: a CSV under this is staged in memory (attach_scratch)


@dataclass
class RawFile:
    """What was read: the header, how many records, and the records the CSV reader could not split."""
    header: list[str]
    rows: int
    rejected: list[dict] = field(default_factory=list)  # {line, reason, raw}
    document: str | None = None                          # JSON: the whole document (for document-level fields)
    line_map: bool = False                               # CSV: lines come from _line_map (see line_numbers.py)
    unnamed: list[str] = field(default_factory=list)     # CSV: columns the publisher's header leaves without a name


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def json_records(document, record_path: str) -> list:
    """The records of a JSON document at a simple path like '$.features[*]' or '$[*]'."""
    node = document
    for part in re.findall(r"\.([A-Za-z_][A-Za-z0-9_]*)", record_path):
        node = node.get(part, []) if isinstance(node, dict) else []
    return node if isinstance(node, list) else []


def json_header(path: Path, record_path: str | None = None, prefix: str | None = None) -> list[str]:
    """The keys of the records in a JSON or GeoJSON file (for detection and column checks)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"{path}: not valid JSON ({exc})") from None
    except RecursionError:  # Python's parser recurses once per level; DuckDB's would read it, but not usefully
        raise UserError(f"{path}: the JSON is nested too deeply to read (thousands of levels of [ or {{); "
                        "records are objects of a few levels") from None
    if not isinstance(document, (dict, list)):
        raise UserError(f"{path}: the JSON document is a single value ({json.dumps(document)[:40]}), "
                        "not an object or a list of records")
    if record_path is None:
        record_path = "$.features[*]" if isinstance(document, dict) and "features" in document else (
            "$[*]" if isinstance(document, list) else
            next((f"$.{k}[*]" for k, v in document.items() if isinstance(v, list)), "$[*]"))
    records = json_records(document, record_path)
    keys: dict[str, None] = {}
    for record in records[:1000]:
        if isinstance(record, dict):
            source = record.get(prefix, {}) if prefix else record
            keys.update(dict.fromkeys(source or {}))
            if prefix and "geometry" in record:
                keys["_geometry"] = None
    return list(keys)


def _scratch_attached(con: duckdb.DuckDBPyConnection) -> tuple[str | None] | None:
    """None when no scratch database is attached, else (its file, or None for one in memory)."""
    rows = con.execute("select path from duckdb_databases() where database_name = ?", [SCRATCH]).fetchall()
    return (rows[0][0],) if rows else None


def attach_scratch(con: duckdb.DuckDBPyConnection, in_memory: bool = False) -> None:
    """Attach the scratch database unless it is attached already, and put it last on the search path, so that
    `_raw` in the SQL files finds the table stored there. in_memory: held in memory (a CSV under
    STAGED_IN_MEMORY_BELOW: writing the file cost 0.17 s of a 44 MB file's 0.42 s read, compressing in memory 0.1 s),
    else a new file in a new temporary folder. In memory the text is held uncompressed until the read ends (a 225 MB
    file: peak 574 -> 813 MB, so larger files go to a file). Either way the table is compressed: scans give
    dictionary vectors, on which a function of a column runs once per distinct value (with an uncompressed table,
    typing and loading took twice as long); a file compresses as it is written, memory at the checkpoint after the
    read (compress_scratch)."""
    attached = _scratch_attached(con)
    if attached is not None:
        if (attached[0] is None) == in_memory:
            return
        detach_scratch(con)
    if in_memory:
        con.execute("attach ':memory:' as " + SCRATCH + " (compress)")
    else:
        folder = Path(tempfile.mkdtemp(prefix="borderlens-stage-"))
        con.execute("attach $path as " + SCRATCH, {"path": (folder / "stage.duckdb").as_posix()})
    search_path = con.execute("select current_setting('search_path')").fetchall()[0][0]
    con.execute("set variable bl_scratch_search_path = $path", {"path": search_path})
    con.execute("set search_path = $path", {"path": f"{search_path or 'main'},{SCRATCH}.main"})


def compress_scratch(con: duckdb.DuckDBPyConnection) -> None:
    """Compress what the scratch database holds, if it is in memory (a file's is compressed as it is written)."""
    attached = _scratch_attached(con)
    if attached is not None and attached[0] is None:
        con.execute("checkpoint " + SCRATCH)


def detach_scratch(con: duckdb.DuckDBPyConnection) -> None:
    """Detach the scratch database, delete its folder and give the search path back."""
    attached = _scratch_attached(con)
    if attached is None:
        return
    search_path = con.execute("select getvariable('bl_scratch_search_path')").fetchall()[0][0]
    con.execute("set search_path = $path", {"path": search_path or ""})
    con.execute("drop view if exists " + STAGED)  # it reads the scratch table
    con.execute("detach " + SCRATCH)
    if attached[0] is not None:
        shutil.rmtree(Path(attached[0]).parent, ignore_errors=True)


def _drop_raw(con: duckdb.DuckDBPyConnection) -> None:
    """Forget the previous file's _raw, wherever it was stored, and the view that read it."""
    con.execute(f"drop view if exists {STAGED}")
    con.execute(f"drop table if exists temp.main.{RAW}")
    if _scratch_attached(con):
        con.execute(f"drop table if exists {SCRATCH}.main.{RAW}")


def _literal_path(path: Path) -> Path:
    """A path DuckDB reads as exactly this one file: read_csv expands * ? [ ] { } as a pattern of file names, so a
    file whose name holds one is read through a link without it (in a new temporary folder)."""
    if not any(c in str(path) for c in "*?[]{}"):
        return path
    folder = Path(tempfile.mkdtemp(prefix="borderlens-link-"))
    link = folder / ("input" + "".join(c for c in path.suffix if c.isalnum() or c == "."))
    link.symlink_to(path.resolve())
    return link




def reader_buffer_size(path: Path) -> int | None:
    """DuckDB's CSV buffer for this file: a sixteenth of it from 2 MiB (DuckDB's longest line), or None (DuckDB's
    default, 32 MB) from 512 MB up. Rows are stored in file order, which the reader keeps per buffer: with the default
    a 44 MB file is two buffers, read almost on one thread (0.45 s where 2.75 MiB buffers take 0.32 s;
    bench/ingest.py). A 1.1 GB file read with an explicit buffer made detaching the scratch database cost 0.5 GB
    more memory, so large files keep the default."""
    size = path.stat().st_size
    return max(2 << 20, size // 16) if size < SMALL_FILE else None


def read_csv_raw(con: duckdb.DuckDBPyConnection, path: Path, profile: Profile) -> RawFile:
    """Read a CSV as text; rows DuckDB cannot split into the header's columns are kept aside as rejects."""
    read = profile.read
    encoding = file_encoding(path, read)
    source = path if encoding in DUCKDB_ENCODINGS else _utf8_copy(path, encoding)
    options = [read.get("delimiter", ","), read.get("quote", '"'), "utf-8" if source != path else encoding,
               int(read.get("skip_lines", 0))]
    attach_scratch(con, in_memory=source.stat().st_size < STAGED_IN_MEMORY_BELOW)
    copies = [source] if source != path else []  # read (or failed), then not needed again
    try:
        _read_csv(con, path, profile, source, options, copies)
        compress_scratch(con)
    finally:
        for copy in copies:
            copy.unlink(missing_ok=True)
    header = [row[0] for row in con.execute(sql("staging/raw_columns")).fetchall()]
    rejected = []
    for line, error_type, csv_line in con.execute(sql("staging/csv_rejects")).fetchall():
        values = split_line((csv_line or "").strip("\r\n"), options[0], options[1])
        record = dict(zip(header, values))
        if len(values) > len(header):
            record["_extra_values"] = values[len(header):]
        reason = error_type.lower().replace(" ", "_")
        rejected.append({"line": int(line), "reason": reason, "raw": json.dumps(record, ensure_ascii=False)})
    rows = con.execute(sql("staging/raw_count")).fetchall()[0][0]
    return RawFile(header=header, rows=rows, rejected=rejected,
                   unnamed=unnamed_columns(path, header, options[0], options[1], encoding, options[3]))



def _read_csv(con: duckdb.DuckDBPyConnection, path: Path, profile: Profile, source: Path, options: list,
              copies: list[Path]) -> None:
    """_raw from the file, letting DuckDB's sniffer find its layout. If that fails: for line ends of more than one
    kind, again from an all-LF copy; for a line over DuckDB's maximum, again with the header's columns named (the
    sniffer then reads no sample), so that only that line is rejected. An unclosed quote still refuses the file: it
    leaves no line to tell where its records end. Each retry follows a failure only: a good file is read once."""
    first = last = None
    for attempt in ("sniffed", "lf", "named"):
        if attempt == "lf" and not mixed_line_ends(source):
            continue
        if attempt == "lf":
            source = lf_copy(source)
            copies.append(source)
            options = [*options[:2], "utf-8", options[3]]
        if attempt == "named" and "Maximum line size" not in str(last):
            break
        _drop_raw(con)
        con.execute(sql("staging/csv_rejects_clear"))  # the previous read's rejected lines are not this one's
        reader_path = _literal_path(source)
        try:
            if attempt == "named":
                names, ending = header_line(source, *options)
                if not names or len(set(names)) != len(names):
                    break
                con.execute(sql("staging/read_csv_named"), [str(reader_path), *options, ending,
                                                            dict.fromkeys(names, "VARCHAR")])
            else:
                buffer = reader_buffer_size(source)
                statement = sql("staging/read_csv_raw").replace(
                    "{buffer_size}", "buffer_size = $6," if buffer else "")  # one of two fixed texts
                con.execute(statement, [str(reader_path), *options, *([buffer] if buffer else [])])
            return
        except (duckdb.Error, UnicodeDecodeError, csv.Error, OSError) as exc:
            first, last = first or exc, exc
        finally:
            if reader_path != source:
                shutil.rmtree(reader_path.parent, ignore_errors=True)
    problem = csv_problem(first) if isinstance(first, duckdb.Error) else str(first)
    raise UserError(f"{path}: cannot read as CSV with profile {profile.name}: {problem}") from None


def read_json_raw(con: duckdb.DuckDBPyConnection, path: Path, profile: Profile) -> RawFile:
    """Read a JSON or GeoJSON document's records as JSON text, one row per record, numbered from 1."""
    record_path = profile.read.get("records", "$.features[*]" if profile.format == "geojson" else "$[*]")
    prefix = profile.read.get("properties", "properties" if profile.format == "geojson" else None)
    header = json_header(path, record_path, prefix)
    _drop_raw(con)
    reader_path = _literal_path(path)
    try:
        con.execute(sql("staging/read_json_raw"), [str(reader_path), record_path])
    except duckdb.Error as exc:
        raise UserError(f"{path}: cannot read as JSON with profile {profile.name}: {str(exc).splitlines()[0]}") from None
    finally:
        if reader_path != path:
            shutil.rmtree(reader_path.parent, ignore_errors=True)
    rows = con.execute(sql("staging/raw_count")).fetchall()[0][0]
    return RawFile(header=header, rows=rows)


@dataclass
class _Sql:
    """A SELECT under construction and its values from the profile; each value is bound as a parameter into a
    session variable (bl_stg_p0, bl_stg_p1, ...) that the SELECT reads with getvariable()."""
    params: dict = field(default_factory=dict)
    maps: list[str] = field(default_factory=list)  # vocabulary names, in the order of their variables
    record_number: str = "null"                     # the record's number from 1, for generate = "record_number"
    header: list[str] = field(default_factory=list)  # the file's columns, for columns_matching
    read: dict = field(default_factory=dict)          # the profile's [read], for scale
    dates: tuple = ()                                 # [dates] formats and unknown, for first = "parseable"

    def param(self, value) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"getvariable('bl_stg_{name}')"

    def vocab(self, name: str) -> str:
        """The variable holding vocabulary `name` as a MAP from lower-case key to value."""
        if name not in self.maps:
            self.maps.append(name)
        return f"getvariable('bl_stg_v{self.maps.index(name)}')"

    def bind(self, con: duckdb.DuckDBPyConnection, profile: Profile) -> None:
        for name, value in self.params.items():
            con.execute(identifiers.set_variable(f"bl_stg_{name}"), {"value": value})
        for number, name in enumerate(self.maps):
            table = {**(builtin_vocabulary(name) or {}), **profile.vocab.get(name, {})}   # the profile's words win
            con.execute(f"set variable {identifiers.variable(f'bl_stg_v{number}')} = "
                        "map($keys::varchar[], $values::varchar[])",
                        {"keys": list(table), "values": list(table.values())})


def _column_resolver(profile: Profile, header: list[str], alias: str):
    """A function from a profile's column name to a SQL snippet, or None when the file lacks the column."""
    by_lower = {h.strip().lower(): h for h in header}
    prefix = profile.read.get("properties", "properties" if profile.format == "geojson" else None)

    def resolve(name: str, q: _Sql) -> str | None:
        if profile.format == "csv":
            actual = by_lower.get(name.strip().lower())
            return None if actual is None else f"{alias}.{quote_ident(actual)}"
        if name == "_geometry":
            return f"json_extract({alias}.rec, {q.param('$.geometry')})::varchar"
        actual = by_lower.get(name.strip().lower())
        if actual is None:
            return None
        path = "$." + (f"{prefix}." if prefix else "") + json.dumps(actual)
        return f"json_extract_string({alias}.rec, {q.param(path)})"

    return resolve


def _field_sql(spec, resolve, q: _Sql, free_text: bool = False) -> str | None:
    """One field's SQL expression from its profile spec (see docs/profiles.md). Codes, numbers and dates are
    trimmed; free text is kept byte for byte as published (a cell of spaces too: only an empty cell is empty)."""
    if isinstance(spec, str):
        spec = {"column": spec}
    if "columns" in spec:
        parts = [p for p in (_field_sql(s, resolve, q, free_text) for s in spec["columns"]) if p]
        if parts and spec.get("first") == "parseable":  # the first that reads as a date, else the first given
            parts = transforms.parseable_first(parts, spec.get("formats") or q.dates[0], q.dates[1], q.param)
        return f"coalesce({', '.join(parts)})" if parts else None
    if "value" in spec:
        return f"{q.param(str(spec['value']))}::varchar"
    if "document" in spec:
        return f"nullif(trim(json_extract_string(r.doc, {q.param(spec['document'])})), '')"
    if any(k in spec for k in SOURCES):   # template, hash, generate (field_sources)
        expr = source_sql(spec, resolve, q, q.record_number)
        return expr if expr is None or "prefix" not in spec else f"({q.param(str(spec['prefix']))} || {expr})"
    if "columns_matching" in spec:
        return transforms.matching_sql(spec, q.header, resolve, q)
    column = resolve(spec["column"], q)
    if column is None:
        return None
    expr = f"nullif({column}, '')" if free_text else f"nullif(trim({column}), '')"
    expr = transforms.scale_sql(transforms.missing_sql(expr, spec, q.param), spec, q.param, q.read)
    parse = spec.get("parse")
    if parse in ("wkt_lon", "wkt_lat"):
        pattern = q.param(r"^\s*POINT\s*\(\s*(\S+)\s+(\S+)\s*\)\s*$")
        expr = f"nullif(regexp_extract({expr}, {pattern}, {1 if parse == 'wkt_lon' else 2}), '')"
    elif parse in ("upper", "lower"):
        expr = f"{parse}({expr})"
    if "pad" in spec:
        width = q.param(int(spec["pad"]))
        # lpad also cuts a longer value to the width: only shorter all-digit codes are padded
        expr = (f"(case when regexp_full_match({expr}, '[0-9]+') and length({expr}) < {width} "
                f"then lpad({expr}, {width}, '0') else {expr} end)")
    if "map" in spec:
        # A MAP lookup rather than a join: it keeps the column's dictionary, so it runs once per distinct value.
        mapped = f"{q.vocab(spec['map'])}[lower({expr})]"
        unmapped = spec.get("unmapped", "keep")
        if unmapped == "null":
            expr = mapped
        elif unmapped == "slug":
            expr = f"coalesce({mapped}, trim(regexp_replace(lower({expr}), '[^a-z0-9]+', '_', 'g'), '_'))"
        else:
            expr = f"coalesce({mapped}, {expr})"
    if "prefix" in spec:
        expr = f"({q.param(str(spec['prefix']))} || {expr})"
    return expr


def stage(con: duckdb.DuckDBPyConnection, path: Path, profile: Profile, raw: RawFile) -> int:
    """Define the view _stg: one row per candidate record with _rid, _line and the dataset's fields as text."""
    q = _Sql()
    source = RAW
    line_expr = "r.rowid"
    if profile.format == "csv" and profile.shape == "wide":
        pattern = re.compile(profile.read["value_columns"])
        value_columns = [h for h in raw.header if pattern.fullmatch(h.strip())]
        if not value_columns:
            raise UserError(f"{path}: no column matches value_columns '{pattern.pattern}' of profile {profile.name}")
        con.execute("drop table if exists _long")
        con.execute(" ".join([
            "create temp table _long as with w as (select rowid as _rowid, * from _raw)",
            "select * from w unpivot include nulls (_cell for _header in (",
            ", ".join(quote_ident(c) for c in value_columns), "))",
        ]))
        source, line_expr = "_long", "r._rowid"
        header = raw.header + ["_header", "_cell"]
    else:
        header = raw.header
    joined = ""
    if profile.format == "csv" and raw.line_map:  # records that do not each take one line: their own lines
        rid, line = line_expr, "m.line"
        joined = f" left join _line_map m on m.rid = {line_expr}"
    elif profile.format == "csv":
        offset = 2 + int(profile.read.get("skip_lines", 0))
        shifts = _reject_shifts([r["line"] for r in raw.rejected], offset)
        rid = line_expr
        line = f"{line_expr} + {q.param(offset)}"
        if shifts:
            line += f" + len(list_filter({q.param(shifts)}::bigint[], lambda t: t <= {line_expr}))"
    else:
        rid = line = "r.idx"
    resolve = _column_resolver(profile, header, "r")
    q.header, q.read, q.dates = header, profile.read, (list(profile.date_formats), list(profile.unknown_parts))
    # CSV: data records counted from 1 (a wide row's cells share its number); JSON: records counted from 1
    q.record_number = f"{line_expr} + 1" if profile.format == "csv" else "r.idx"
    column = "r._header" if source == "_long" else "null::varchar"
    selects = [f"{rid} as _rid", f"{line} as _line", f"{column} as _column"]
    stray = [f"nullif(trim(r.{quote_ident(name)}), '') is not null" for name in raw.unnamed]
    selects.append(f"({' or '.join(stray) or 'false'}) as _extra_cells")
    selects.append(f"{row_filters.skip_sql(profile.rows, resolve, q, str(path))} as _skip")  # [rows] skip
    for name in profile.dataset.staged_fields:
        spec = profile.fields.get(name)
        free_text = name in profile.dataset.free_text_fields
        expr = _field_sql(spec, resolve, q, free_text) if spec is not None else None
        apart = profile.fields.get(next((f for f, a in transforms.APART.items() if a == name), ""))
        if spec is None and isinstance(apart, dict) and apart.get("unmapped") == "apart":  # names a map left over
            expr = transforms.apart_sql(apart, header, resolve, q)
        selects.append(f"{expr or 'null::varchar'} as {quote_ident(name)}")
        if name in profile.dataset.text_list_fields:  # untrimmed: the cell as published, kept if its items change
            published = _field_sql(spec, resolve, q, free_text=True) if spec is not None else None
            selects.append(f"{published or 'null::varchar'} as {quote_ident(name + '_as_published')}")
    if profile.dataset.name == "crossings":  # the cube's breakdown (issue 10)
        selects += dimension_selects(profile.dimensions, resolve, q, _field_sql)
    q.bind(con, profile)
    con.execute(f"drop view if exists {STAGED}")
    con.execute(" ".join([f"create temp view {STAGED} as select", ", ".join(selects), f"from {source} r{joined}"]))
    return con.execute(sql("staging/staged_count")).fetchall()[0][0]


def _reject_shifts(reject_lines: list[int], offset: int) -> list[int]:
    """Row ids from which each rejected line shifts the file's line numbers by one more."""
    return [line - offset + 1 - j for j, line in enumerate(sorted(reject_lines), start=1)]
