"""The query layer's DuckDB connections: one per release path, read-only, with the app's macros made once.

Kept apart from queries.py (which runs the statements) because a connection must be opened again when the file
under a path changes: `borderlens publish --out` the served folder swaps a new database in under the same path.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from data_pipeline.db import APP_MACROS, sql

DB_FILE = "borderlens.duckdb"
_CONNECTIONS: dict[str, tuple[tuple[int, int, int] | None, duckdb.DuckDBPyConnection]] = {}  # path -> (file, con)
_MAX_CONNECTIONS = 8


def _database_file(path: str) -> tuple[int, int, int] | None:
    """The release database's identity (device, inode, mtime): a publish into the served folder swaps a new file
    in under the same path, and a connection opened on the old one would go on reading the old data."""
    try:
        st = (Path(path) / DB_FILE).stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_mtime_ns


def database(path: str) -> duckdb.DuckDBPyConnection:
    """One connection per release path (call it under queries._LOCK), opened again when the file under the path
    changes; the old one is closed first, since DuckDB hands a second connect to a path the database it already
    has open there."""
    identity = _database_file(path)
    known = _CONNECTIONS.get(path)
    if known is not None and known[0] == identity:
        return known[1]
    if known is not None:
        del _CONNECTIONS[path]
        known[1].close()
    while len(_CONNECTIONS) >= _MAX_CONNECTIONS:
        _CONNECTIONS.pop(next(iter(_CONNECTIONS)))[1].close()
    con = duckdb.connect(str(Path(path) / DB_FILE), read_only=True)
    con.execute("set enable_progress_bar = false")
    # The macros the statements share (sql/app/*macros.sql; the Vienna Document rules first, which publish also
    # runs alone), made once per connection: an attached catalog belongs to the database, so every cursor of run()
    # sees them (temp macros are per cursor: 0.6 ms each, every call).
    con.execute("attach if not exists ':memory:' as macros (read_write)")
    for name in APP_MACROS:
        con.execute(sql(name))
    _CONNECTIONS[path] = (identity, con)
    return con
