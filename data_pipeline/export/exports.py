"""Extract files that open safely: CSV (RFC 4180, formula-neutralised text cells), Parquet and GeoJSON.

DuckDB's own writers (COPY) stream the rows, so an extract of millions of rows is never held in memory whole
and no row passes through Python; the cell formats are SQL macros (sql/export/macros.sql).
"""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa

from data_pipeline.db import sql
from data_pipeline.export.copy_sink import copy_sink, remove_quietly

BATCH_ROWS = 100_000
GEOMETRY_COLUMNS = ("area_geojson", "geometry_geojson")
BOM = "\ufeff".encode("utf-8")


@contextmanager
def replacing(out: Path):
    """A path to write instead of out, renamed onto out once it is whole and removed if writing fails, so a
    full disk leaves no half file (and an older file stays). A device or pipe (/dev/stdout) is written directly."""
    if out.exists() and not out.is_file():
        yield out
        return
    part = out.with_name(f".{out.name}.part-{os.getpid()}-{os.urandom(4).hex()}")
    try:
        yield part
        os.replace(part, out)
    finally:
        remove_quietly(part)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(con, query: str, params) -> list[tuple[str, str]]:
    """(name, DuckDB type) of the query's result columns, without running it."""
    rel = con.sql(query, params=params or None)
    return [(name, str(kind).upper()) for name, kind in zip(rel.columns, rel.types)]


def _csv_cell(name: str, kind: str) -> str:
    col = _ident(name)
    if kind.endswith("[]"):
        return f"bl_csv_list({col}) as {col}"
    if kind in ("VARCHAR", "JSON"):
        return f"bl_csv_text({col}) as {col}"
    if kind in ("DOUBLE", "FLOAT", "REAL"):
        return f"bl_csv_double({col}) as {col}"
    return col


def _copy(con, columns: str, query: str, params, out: Path, options: str, before: bytes = b"", after: bytes = b"",
          digests: dict | None = None) -> int:
    """COPY (select columns from (query)) to out, between before and after; returns the number of rows written.
    digests: {out: {"bytes", "sha256"}} added where the file was hashed as it was written (copy_sink)."""
    con.execute(sql("export/macros"))
    with copy_sink(out, before, after) as sink:
        statement = (f"copy (select {columns} from ({query}) as _rows) to {_string(sink.target)} "
                     f"({options}, use_tmp_file false)")
        rows = int(con.execute(statement, params or None).fetchall()[0][0])
    if digests is not None and sink.sha256 is not None:
        digests[out] = {"bytes": sink.bytes, "sha256": sink.sha256}
    return rows


def _string(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def write_csv(con, query: str, params, out: Path, excel: bool = False, digests: dict | None = None) -> int:
    """RFC 4180 CSV with CRLF line ends; with a UTF-8 byte-order mark first when for Excel. Returns rows."""
    columns = ", ".join(_csv_cell(n, k) for n, k in _columns(con, query, params))
    return _copy(con, columns, query, params, out, "format csv, header, new_line '\r\n'", BOM if excel else b"",
                 digests=digests)


def query_reader(con: duckdb.DuckDBPyConnection, query: str, params) -> pa.RecordBatchReader:
    return con.sql(query, params=params or None).to_arrow_reader(BATCH_ROWS)


def write_parquet(con, query: str, params, out: Path, metadata: dict[str, str] | None = None) -> None:
    """Parquet (zstd), streamed in batches; metadata (e.g. citation, licence) as the file's key-value metadata."""
    import pyarrow.parquet as pq

    reader = query_reader(con, query, params)
    schema = reader.schema
    if metadata:
        schema = schema.with_metadata({**(schema.metadata or {}),
                                       **{k.encode("utf-8"): v.encode("utf-8") for k, v in metadata.items()}})
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        for batch in reader:
            writer.write_batch(batch)


def _feature_columns(columns: list[tuple[str, str]]) -> str:
    """type, geometry (the GeoJSON text column if any, else lon/lat) and properties (all other columns)."""
    names = [n for n, _ in columns]
    geometry_column = next((c for c in GEOMETRY_COLUMNS if c in names), None)
    point = "bl_json_point(lon, lat)" if {"lon", "lat"} <= set(names) else "null"
    if geometry_column:
        text = _ident(geometry_column)
        geometry = f"case when nullif({text}, '') is not null then json({text}) else {point} end"
    else:
        geometry = point
    props = ", ".join(f"{_ident(n)} := " + (f"bl_json_double({_ident(n)})" if k in ("DOUBLE", "FLOAT", "REAL")
                                           else _ident(n))
                      for n, k in columns if n not in GEOMETRY_COLUMNS)
    properties = f"struct_pack({props})" if props else "json_object()"
    return f"'Feature' as type, {geometry}::json as geometry, {properties} as properties"


def write_features(con, query: str, params, out: Path, members: dict | None = None,
                   digests: dict | None = None) -> int:
    """A GeoJSON FeatureCollection (RFC 7946), with members (e.g. citation, licence) before the features."""
    columns = _feature_columns(_columns(con, query, params))
    head = "".join(f"{json.dumps(k)}:{json.dumps(v, ensure_ascii=False)}," for k, v in (members or {}).items())
    opening = ('{"type":"FeatureCollection",' + head + '"features":').encode("utf-8")
    return _copy(con, columns, query, params, out, "format json, array true", opening, b"}\n", digests)


def write_geojson(con, query: str, params, out: Path, digests: dict | None = None) -> int:
    return write_features(con, query, params, out, digests=digests)


def table_file(table: pa.Table, fmt: str, members: dict | None = None) -> bytes:
    """An in-memory Arrow table (a page's shown rows) written by the same writers as the extracts."""
    con = duckdb.connect()
    try:
        con.execute("set enable_progress_bar = false")
        con.register("_shown", table)
        with tempfile.TemporaryDirectory(prefix="borderlens-download-") as folder:
            out = Path(folder) / "view"
            if fmt in ("csv", "csv-excel"):
                write_csv(con, "select * from _shown", [], out, excel=fmt == "csv-excel")
            elif fmt == "geojson":
                write_features(con, "select * from _shown", [], out, members)
            else:
                raise ValueError(f"unknown format {fmt!r}")
            return out.read_bytes()
    finally:
        con.close()
