"""The canonical tables as a policy sees them: columns and types (read from the schema migrations), which fields
each action may name, and which status column says why a field is empty (docs/policy.md)."""

from __future__ import annotations

from functools import cache

import duckdb

GEOMETRY_COLUMN = {"exercise_notices": "area_geojson", "infrastructure_projects": "geometry_geojson"}
NUMERIC_TYPES = ("DOUBLE", "BIGINT", "INTEGER", "HUGEINT", "DECIMAL", "FLOAT", "SMALLINT")
WHOLE_TYPES = ("BIGINT", "INTEGER", "HUGEINT", "SMALLINT")


def _schema_rows(statement: str) -> list[tuple]:
    """The rows of a query over the canonical schema, run on an empty in-memory database migrated to the newest
    version (so the schema migrations themselves are the truth)."""
    from data_pipeline.db import migrate, sql

    con = duckdb.connect()
    try:
        migrate(con)
        return con.execute(sql(statement)).fetchall()
    finally:
        con.close()


@cache
def dataset_columns() -> dict[str, dict[str, str]]:
    """Columns and DuckDB types of the canonical tables, read from the schema migrations themselves."""
    columns: dict[str, dict[str, str]] = {}
    for table, column, data_type in _schema_rows("release/schema_columns"):
        columns.setdefault(table, {})[column] = data_type
    return columns


@cache
def not_null_columns() -> dict[str, frozenset]:
    """The columns each canonical table declares NOT NULL (a policy may not empty them)."""
    found: dict[str, set] = {}
    for table, column in _schema_rows("release/schema_not_null"):
        found.setdefault(table, set()).add(column)
    return {k: frozenset(v) for k, v in found.items()}


def location_fields(dataset: str) -> tuple[str, ...]:
    """The columns that say where a row is; they are coarsened or dropped together, never one alone."""
    return ("lat", "lon") + ((GEOMETRY_COLUMN[dataset],) if dataset in GEOMETRY_COLUMN else ())


def status_column(dataset: str, column: str) -> str | None:
    """The status column that says why a field is empty: <field>_status, location_status, or value_status."""
    columns = dataset_columns()[dataset]
    if f"{column}_status" in columns:
        return f"{column}_status"
    if column in location_fields(dataset) and "location_status" in columns:
        return "location_status"
    return None


def allowed_fields(dataset: str, action: str) -> set[str]:
    """Which fields an action may name in a dataset (identifiers are only ever taken from these sets)."""
    columns = dataset_columns()[dataset]
    protected = not_null_columns()[dataset] | {"source_id", "source_line", "location_precision"}
    protected |= {c for c in columns if c.endswith("_status")}
    # how exactly a date was published: without it a date to the month would read as a day nobody gave
    protected |= {c for c in columns if c.endswith("_precision")}
    if dataset == "crossings":  # the cube's key and the counting side, NOT NULL until schema 7 (issue 10)
        protected |= {"country_iso3", "place_kind", "dimensions"}
    numeric = {c for c, t in columns.items() if t.startswith(NUMERIC_TYPES)} - {"lat", "lon", "source_line"}
    dates = {c for c, t in columns.items() if t == "DATE"}
    if action == "drop":
        return set(columns) - protected
    if action == "coarsen_location":
        return set(location_fields(dataset))
    if action == "coarsen_time":
        return set() if dataset == "crossings" else dates
    if action == "suppress_below":
        return {c for c in numeric if status_column(dataset, c)}
    if action == "round_to":
        return numeric
    if action == "embargo_days":
        return dates
    return set()
