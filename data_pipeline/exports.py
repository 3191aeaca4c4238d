"""Extract files that open safely: CSV (RFC 4180, formula-neutralised text cells), Parquet and GeoJSON.

Rows stream from DuckDB in Arrow batches, so an extract of millions of rows is never held in memory whole.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import duckdb
import pyarrow as pa

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BATCH_ROWS = 100_000


def neutralise(text: str) -> str:
    """A text cell a spreadsheet could run as a formula gets a leading quote (OWASP CSV injection)."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _is_text(arrow_type: pa.DataType) -> bool:
    return pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type)


def _cell(value, text_column: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = ";".join("" if v is None else str(v) for v in value)
        return neutralise(value)
    if text_column:
        return neutralise(str(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return repr(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def csv_batches(reader: pa.RecordBatchReader, excel: bool = False):
    """CSV text chunks for a stream of Arrow batches: header first, then rows; lists joined with ';'."""
    schema = reader.schema
    text_columns = [_is_text(f.type) or pa.types.is_list(f.type) for f in schema]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    if excel:
        buffer.write("\ufeff")
    writer.writerow(schema.names)
    yield buffer.getvalue()
    for batch in reader:
        buffer.seek(0)
        buffer.truncate()
        columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
        for row in zip(*columns):
            writer.writerow([_cell(v, t) for v, t in zip(row, text_columns)])
        yield buffer.getvalue()


def query_reader(con: duckdb.DuckDBPyConnection, query: str, params) -> pa.RecordBatchReader:
    return con.sql(query, params=params).to_arrow_reader(BATCH_ROWS)


def write_csv(con, query: str, params, out: Path, excel: bool = False) -> int:
    rows = 0
    with open(out, "w", encoding="utf-8", newline="") as handle:
        for chunk in csv_batches(query_reader(con, query, params), excel=excel):
            handle.write(chunk)
            rows += chunk.count("\r\n")
    return rows - 1


def write_parquet(con, query: str, params, out: Path) -> None:
    import pyarrow.parquet as pq

    reader = query_reader(con, query, params)
    with pq.ParquetWriter(out, reader.schema, compression="zstd") as writer:
        for batch in reader:
            writer.write_batch(batch)


GEOMETRY_COLUMNS = ("area_geojson", "geometry_geojson")


def geojson_features(reader: pa.RecordBatchReader):
    """GeoJSON features: geometry from a GeoJSON text column if present, else from lon/lat (5 decimals)."""
    names = reader.schema.names
    geometry_column = next((c for c in GEOMETRY_COLUMNS if c in names), None)
    for batch in reader:
        for row in batch.to_pylist():
            geometry = None
            if geometry_column and row.get(geometry_column):
                geometry = json.loads(row[geometry_column])
            elif row.get("lon") is not None and row.get("lat") is not None:
                geometry = {"type": "Point", "coordinates": [round(row["lon"], 5), round(row["lat"], 5)]}
            properties = {k: _json_value(v) for k, v in row.items() if k not in GEOMETRY_COLUMNS}
            yield {"type": "Feature", "geometry": geometry, "properties": properties}


def _json_value(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def write_geojson(con, query: str, params, out: Path) -> int:
    count = 0
    with open(out, "w", encoding="utf-8") as handle:
        handle.write('{"type":"FeatureCollection","features":[\n')
        for feature in geojson_features(query_reader(con, query, params)):
            if count:
                handle.write(",\n")
            handle.write(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
            count += 1
        handle.write("\n]}\n")
    return count
