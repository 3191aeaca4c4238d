"""Shared helpers for the tests: run the real CLI as a subprocess and read real DuckDB files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_data"
BIN = Path(sys.executable).parent
BORDERLENS = str(BIN / "borderlens")


def one_line_error(result) -> str:
    """The one line a user mistake gets on stderr (exit 2, no traceback)."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def run_cli(*args, check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    """borderlens ARGS in a subprocess, as a user runs it."""
    result = subprocess.run([BORDERLENS, *map(str, args)], capture_output=True, text=True, cwd=REPO,
                            env={**os.environ, **(env or {})}, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"borderlens {' '.join(map(str, args))} failed ({result.returncode}):\n"
                             f"{result.stdout}\n{result.stderr}")
    return result


def ingest_json(db: Path, *paths, profile: str | None = None) -> list[dict]:
    args = ["ingest", *paths, "--db", db, "--json"]
    if profile:
        args += ["--profile", profile]
    return json.loads(run_cli(*args).stdout)["sources"]


def query(db: Path, text: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(text, params or []).fetchall()
    finally:
        con.close()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path
