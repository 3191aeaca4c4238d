"""DuckDB connections, the SQL file loader and the migration runner.

Every statement the project runs lives in sql/; code asks for it by name so the SQL can be read on its own.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import duckdb

from data_pipeline.errors import UserError
from data_pipeline.paths import resource_root

SQL_DIR = resource_root() / "sql"
# The app's macros (sql/app/), in the order they must be made (DuckDB checks a macro against the tables and macros it
# names when it is made): the dashboard makes them on each release connection, publish on the new release to store
# the tables it derives with them.
APP_MACROS = ("app/vd_macros", "app/macros", "app/crossing_month_macros", "app/two_year_macros")


@cache
def sql(name: str) -> str:
    """The text of sql/<name>.sql (name like 'canonical/crossings_typed')."""
    path = SQL_DIR / f"{name}.sql"
    return path.read_text(encoding="utf-8")


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open a database quietly (no progress bar on standard output)."""
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        raise UserError(f"cannot open database {path}: {str(exc).splitlines()[0]}") from None
    con.execute("set enable_progress_bar = false")
    return con


def migrations() -> list[tuple[int, Path]]:
    """The schema files in order, numbered by their name (001_core.sql is version 1)."""
    found = []
    for path in sorted((SQL_DIR / "schema").glob("*.sql")):
        number = int(path.name.split("_", 1)[0])
        found.append((number, path))
    return found


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Bring a database to the newest schema version; returns that version. A new database gets every migration in
    one transaction (one commit instead of one per file: each commit writes the log to disk, which cost 0.05-0.1 s
    of every first ingest on a busy machine); an existing one is migrated file by file, each in its transaction."""
    con.execute(sql("meta/schema_version_table"))
    applied = _applied(con)
    if not applied:
        con.execute("begin transaction")
        try:
            for number, path in migrations():
                con.execute(path.read_text(encoding="utf-8"))
                con.execute(sql("meta/record_version"), [number, path.name])
                current = number
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        return current
    for number, path in migrations():
        if number in applied:
            continue
        con.execute("begin transaction")
        con.execute(path.read_text(encoding="utf-8"))  # DuckDB runs a file of statements in one call
        con.execute(sql("meta/record_version"), [number, path.name])
        con.execute("commit")
    return con.execute(sql("meta/current_version")).fetchall()[0][0]


def _applied(con: duckdb.DuckDBPyConnection) -> set[int]:
    """The migrations a database has taken. Each one missing is run, not only those above the highest: a test can
    make a database from before one migration by undoing that migration alone (later ones, such as 013's new
    tables, need not be repeatable)."""
    return {row[0] for row in con.execute(sql("meta/applied_versions")).fetchall()}


def open_work_db(path: str | Path, create: bool = True, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """The operator's working database, migrated; refuses a missing file when create is False. read_only (for the
    commands that only read it) opens it read-only when no migration is due, so they run beside a publish, which
    holds it read-only too; a database that needs a migration is opened to write, once."""
    if str(path).strip() in ("", ":memory:") or str(path).startswith(":memory:"):
        raise UserError(f"--db needs the path of a database file, not '{path}': nothing would be kept")
    path = Path(path)
    if path.is_dir():
        raise UserError(f"--db names a folder, not a database file: {path}")
    if not create and not path.exists():
        raise UserError(f"database not found: {path}")
    if path.parent and not path.parent.exists():
        raise UserError(f"folder for the database does not exist: {path.parent}")
    if read_only and path.exists():
        con = _current_read_only(path)
        if con is not None:
            return con
    con = connect(path)
    ours, tables = con.execute(sql("meta/table_census")).fetchall()[0]
    if tables and not ours:
        con.close()
        raise UserError(f"{path} is a DuckDB database of something else (it has tables but no borderlens "
                        "schema_version); give a new file or a borderlens working database")
    migrate(con)
    return con


def _current_read_only(path: Path) -> duckdb.DuckDBPyConnection | None:
    """A read-only connection to a borderlens database at the newest schema version, else None (the caller opens
    it to write, and refuses or migrates it)."""
    con = connect(path, read_only=True)
    ours, _tables = con.execute(sql("meta/table_census")).fetchall()[0]
    if ours and _applied(con) >= {number for number, _ in migrations()}:
        return con
    con.close()
    return None


@contextmanager
def memory_limit(con: duckdb.DuckDBPyConnection):
    """BORDERLENS_MEMORY_LIMIT (e.g. 1GB) caps DuckDB's memory during an ingest or a publish; joins
    and sorts then spill to disk.
    Without it DuckDB may use 80% of RAM (figures in docs/performance.md). Afterwards the connection's limit is
    DuckDB's default again, exactly; a limit set on it before by other code comes back as DuckDB printed it
    (rounded to 0.1 of its unit)."""
    limit = os.environ.get("BORDERLENS_MEMORY_LIMIT", "").strip()
    if not limit:
        yield
        return
    if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", limit, re.IGNORECASE):
        raise UserError(f"BORDERLENS_MEMORY_LIMIT: '{limit}' is not a size like 1500MB or 2GB")
    previous = con.execute("select current_setting('memory_limit')").fetchall()[0][0]
    con.execute("set memory_limit = $limit", {"limit": limit})
    try:
        yield
    finally:
        con.execute("reset memory_limit")  # the exact default, which the text of `previous` only rounds
        if con.execute("select current_setting('memory_limit')").fetchall()[0][0] != previous:
            con.execute("set memory_limit = $limit", {"limit": previous})
