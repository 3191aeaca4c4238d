"""Staging: read a publisher file as text inside DuckDB, then map its columns to the dataset's fields.

The read keeps every cell as text (all_varchar) so nothing is lost before validation. The mapping SELECT is
generated from the profile: identifiers come only from the file's own header (an allow-list), and every
literal from the profile travels as a bound parameter.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from data_pipeline.db import sql
from data_pipeline.errors import UserError
from data_pipeline.profiles import DUCKDB_ENCODINGS, Profile

RAW = "_raw"      # the file as read: one text column per publisher column (or one JSON record per row)
STAGED = "_stg"   # the dataset's fields as text, with _line
DELIMITERS = [",", ";", "\t", "|"]


@dataclass
class RawFile:
    """What was read: the header, how many records, and the records the CSV reader could not split."""
    header: list[str]
    rows: int
    rejected: list[dict] = field(default_factory=list)  # {line, reason, raw}
    document: str | None = None                          # JSON: the whole document (for document-level fields)


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sniff_header(path: Path) -> tuple[list[str], str]:
    """The header of a CSV file and its delimiter, read from the first line (for profile detection)."""
    with open(path, "rb") as handle:
        first = handle.readline(1 << 20)
    text = first.decode("utf-8", errors="replace").lstrip("\ufeff").rstrip("\r\n")
    delimiter = max(DELIMITERS, key=text.count)
    return next(csv.reader([text], delimiter=delimiter)), delimiter


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


def _utf8_copy(path: Path, encoding: str) -> Path:
    """A UTF-8 copy of a file in an encoding DuckDB does not read itself (streamed, not held in memory)."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise UserError(f"{path}: unknown encoding '{encoding}' in the profile") from None
    out = Path(tempfile.mkstemp(suffix=".csv", prefix="borderlens-")[1])
    with open(path, encoding=encoding, newline="") as src, open(out, "w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(1 << 20):
            dst.write(chunk)
    return out


def read_csv_raw(con: duckdb.DuckDBPyConnection, path: Path, profile: Profile) -> RawFile:
    """Read a CSV as text; rows DuckDB cannot split into the header's columns are kept aside as rejects."""
    read = profile.read
    encoding = read.get("encoding", "utf-8").lower()
    source = path if encoding in DUCKDB_ENCODINGS else _utf8_copy(path, encoding)
    options = {
        "delim": read.get("delimiter", ","),
        "quote": read.get("quote", '"'),
        "encoding": "utf-8" if source != path else encoding,
        "skip": int(read.get("skip_lines", 0)),
    }
    con.execute(f"drop table if exists {RAW}")
    try:
        con.execute(sql("staging/read_csv_raw"), [str(source), options["delim"], options["quote"],
                                                 options["encoding"], options["skip"]])
    except duckdb.Error as exc:
        raise UserError(f"{path}: cannot read as CSV with profile {profile.name}: {str(exc).splitlines()[0]}") from None
    header = [row[0] for row in con.execute(sql("staging/raw_columns")).fetchall()]
    rejected = []
    for line, error_type, csv_line in con.execute(sql("staging/csv_rejects")).fetchall():
        values = next(csv.reader([csv_line or ""], delimiter=options["delim"]), [])
        record = dict(zip(header, values))
        if len(values) > len(header):
            record["_extra_values"] = values[len(header):]
        reason = error_type.lower().replace(" ", "_")
        rejected.append({"line": int(line), "reason": reason, "raw": json.dumps(record, ensure_ascii=False)})
    rows = con.execute(sql("staging/raw_count")).fetchall()[0][0]
    if source != path:
        source.unlink(missing_ok=True)
    return RawFile(header=header, rows=rows, rejected=rejected)


def read_json_raw(con: duckdb.DuckDBPyConnection, path: Path, profile: Profile) -> RawFile:
    """Read a JSON or GeoJSON document's records as JSON text, one row per record, numbered from 1."""
    record_path = profile.read.get("records", "$.features[*]" if profile.format == "geojson" else "$[*]")
    prefix = profile.read.get("properties", "properties" if profile.format == "geojson" else None)
    header = json_header(path, record_path, prefix)
    con.execute(f"drop table if exists {RAW}")
    try:
        con.execute(sql("staging/read_json_raw"), [str(path), record_path])
    except duckdb.Error as exc:
        raise UserError(f"{path}: cannot read as JSON with profile {profile.name}: {str(exc).splitlines()[0]}") from None
    rows = con.execute(sql("staging/raw_count")).fetchall()[0][0]
    return RawFile(header=header, rows=rows)


@dataclass
class _Sql:
    """A SELECT under construction: its joins and its named parameters ($p0, $p1, ...)."""
    params: dict = field(default_factory=dict)
    joins: list[str] = field(default_factory=list)

    def param(self, value) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return "$" + name


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


def _field_sql(spec, resolve, q: _Sql, vocab_aliases: list) -> str | None:
    """One field's SQL expression from its profile spec (see docs/profiles.md)."""
    if isinstance(spec, str):
        spec = {"column": spec}
    if "columns" in spec:
        parts = [p for p in (_field_sql(s, resolve, q, vocab_aliases) for s in spec["columns"]) if p]
        return f"coalesce({', '.join(parts)})" if parts else None
    if "value" in spec:
        return f"{q.param(str(spec['value']))}::varchar"
    if "document" in spec:
        return f"nullif(trim(json_extract_string(r.doc, {q.param(spec['document'])})), '')"
    column = resolve(spec["column"], q)
    if column is None:
        return None
    expr = f"nullif(trim({column}), '')"
    parse = spec.get("parse")
    if parse in ("wkt_lon", "wkt_lat"):
        pattern = q.param(r"^\s*POINT\s*\(\s*(\S+)\s+(\S+)\s*\)\s*$")
        expr = f"nullif(regexp_extract({expr}, {pattern}, {1 if parse == 'wkt_lon' else 2}), '')"
    elif parse in ("upper", "lower"):
        expr = f"{parse}({expr})"
    if "pad" in spec:
        width = q.param(int(spec["pad"]))
        expr = f"(case when regexp_full_match({expr}, '[0-9]+') then lpad({expr}, {width}, '0') else {expr} end)"
    if "map" in spec:
        alias = f"v{len(vocab_aliases)}"
        vocab_aliases.append(alias)
        q.joins.append(f"left join _vocab {alias} on {alias}.vocab = {q.param(spec['map'])} "
                       f"and {alias}.key = lower({expr})")
        unmapped = spec.get("unmapped", "keep")
        if unmapped == "null":
            expr = f"{alias}.value"
        elif unmapped == "slug":
            expr = f"coalesce({alias}.value, trim(regexp_replace(lower({expr}), '[^a-z0-9]+', '_', 'g'), '_'))"
        else:
            expr = f"coalesce({alias}.value, {expr})"
    if "prefix" in spec:
        expr = f"({q.param(str(spec['prefix']))} || {expr})"
    return expr


def _load_vocab(con: duckdb.DuckDBPyConnection, profile: Profile) -> None:
    con.execute(sql("staging/create_vocab"))
    rows = [(name, key, value) for name, table in profile.vocab.items() for key, value in table.items()]
    if rows:
        con.executemany(sql("staging/insert_vocab"), rows)


def stage(con: duckdb.DuckDBPyConnection, path: Path, profile: Profile, raw: RawFile) -> int:
    """Build _stg: one row per candidate record with _rid, _line and the dataset's fields as text."""
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
    if profile.format == "csv":
        offset = 2 + int(profile.read.get("skip_lines", 0))
        shifts = _reject_shifts([r["line"] for r in raw.rejected], offset)
        rid = line_expr
        line = (f"{line_expr} + {q.param(offset)} + "
                f"len(list_filter({q.param(shifts)}::bigint[], lambda t: t <= {line_expr}))")
    else:
        rid = line = "r.idx"
    resolve = _column_resolver(profile, header, "r")
    column = "r._header" if source == "_long" else "null::varchar"
    selects = [f"{rid} as _rid", f"{line} as _line", f"{column} as _column"]
    vocab_aliases: list[str] = []
    for name in profile.dataset.staged_fields:
        spec = profile.fields.get(name)
        expr = _field_sql(spec, resolve, q, vocab_aliases) if spec is not None else None
        selects.append(f"{expr or 'null::varchar'} as {quote_ident(name)}")
    _load_vocab(con, profile)
    con.execute(f"drop table if exists {STAGED}")
    statement = " ".join([f"create temp table {STAGED} as select", ", ".join(selects),
                          f"from {source} r", *q.joins])
    con.execute(statement, q.params)
    return con.execute(sql("staging/staged_count")).fetchall()[0][0]


def _reject_shifts(reject_lines: list[int], offset: int) -> list[int]:
    """Row ids from which each rejected line shifts the file's line numbers by one more."""
    return [line - offset + 1 - j for j, line in enumerate(sorted(reject_lines), start=1)]
