"""What the operator reads about a working database: status and the quarantine listing."""

from __future__ import annotations

import csv
import json

import duckdb

from data_pipeline.datasets import DATASET_NAMES
from data_pipeline.db import sql

TABLES = (*DATASET_NAMES, "borders", "countries", "sources",
          "quarantine", "revisions")


def _records(con: duckdb.DuckDBPyConnection, name: str, params=None) -> list[dict]:
    cursor = con.execute(sql(name), params or [])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def status(con: duckdb.DuckDBPyConnection) -> dict:
    counts = {row["table_name"]: row["rows"] for row in _records(con, "reports/table_counts")}
    return {
        "schema_version": con.execute(sql("meta/current_version")).fetchall()[0][0],
        "tables": {t: counts.get(t, 0) for t in TABLES},
        "sources": _records(con, "reports/sources"),
        "quarantine": _records(con, "reports/quarantine_summary"),
        "revisions": _records(con, "reports/revision_summary"),
    }


def write_quarantine(con: duckdb.DuckDBPyConnection, source_id: str | None, fmt: str, out) -> None:
    """Quarantined rows: source, line, reasons and the raw record with the publisher's column names."""
    if fmt == "json":
        rows = _records(con, "reports/quarantine_rows", {"source_id": source_id})
        for row in rows:
            row["raw_record"] = json.loads(row["raw_record"]) if row["raw_record"] else None
        json.dump({"quarantine": rows}, out, indent=2, ensure_ascii=False, default=str)
        out.write("\n")
        return
    con.execute(sql("export/macros"))   # the one formula guard of every CSV borderlens writes
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["source_id", "dataset", "line_no", "reasons", "raw_record"])
    for row in _records(con, "reports/quarantine_csv", {"source_id": source_id}):
        writer.writerow(["" if v is None else v for v in row.values()])
