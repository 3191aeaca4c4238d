"""Shared helpers for the tests: run the real CLI (its main() in this process, or as a subprocess) and read real
DuckDB files."""

from __future__ import annotations

import fcntl
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_data"
BIN = Path(sys.executable).parent
BORDERLENS = str(BIN / "borderlens")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


# The columns of the notice and project publishing templates (docs/templates) that hostile-text tests fill in.
NOTICE_HEADER = ["notice_id", "designation", "purpose", "notifying_iso3", "participating_iso3", "notified_on",
                 "start_date", "end_date", "troops", "battle_tanks", "acvs", "artillery", "sorties", "helicopters",
                 "airborne_amphibious", "observers_invited", "in_annual_calendar", "area_name", "lon", "lat",
                 "area_geojson", "location_precision", "synthetic"]
PROJECT_HEADER = ["project_id", "name", "kind", "status", "country_iso3", "countries_iso3", "funders", "budget",
                  "currency", "planned_start", "planned_end", "actual_start", "actual_end", "lon", "lat",
                  "location_precision", "description", "synthetic"]


def one_line_error(result) -> str:
    """The one line a user mistake gets on stderr (exit 2, no traceback)."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def run_cli(*args, check: bool = True, env: dict | None = None, process: bool = False) -> subprocess.CompletedProcess:
    """borderlens ARGS, as simonw/sqlite-utils tests its CLI through its runner: the command's own main() runs in
    this process, with env set, the checkout as working directory and stdout/stderr captured (file descriptors
    too, so that a library writing to them is seen as a user would see it). A real `borderlens` process runs
    when the test asks for one (process=True: the console script itself, exit codes as a shell sees them) or sets
    TMPDIR (read once per process). The suite makes about 450 calls; a new process spent 0.7 CPU s of a small
    ingest's 1.0 and 1.2 of a publish's 1.7 on start-up and imports. check=True: the call must succeed."""
    argv = list(map(str, args))
    if process or "TMPDIR" in (env or {}):
        result = subprocess.run([BORDERLENS, *argv], capture_output=True, text=True, cwd=REPO,
                                env={**os.environ, **(env or {})}, timeout=600)
    else:
        result = _in_this_process(argv, env or {})
    if check and result.returncode != 0:
        raise AssertionError(f"borderlens {' '.join(argv)} failed ({result.returncode}):\n"
                             f"{result.stdout}\n{result.stderr}")
    return result


def _in_this_process(argv: list[str], env: dict) -> subprocess.CompletedProcess:
    """data_pipeline.cli.main(argv) with env set, the checkout as working directory and stdout/stderr captured
    (Python's streams and file descriptors 1 and 2), as `borderlens` would run it; an exception that escapes
    main() fails the test with its own traceback."""
    from data_pipeline.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved, cwd = {name: os.environ.get(name) for name in env}, os.getcwd()
    os.environ.update({name: str(value) for name, value in env.items()})
    os.chdir(REPO)
    try:
        with _descriptors_captured() as written, redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:   # argparse's usage errors
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        os.chdir(cwd)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return subprocess.CompletedProcess(["borderlens", *argv], code, out.getvalue() + written[1],
                                       err.getvalue() + written[2])


@contextmanager
def _descriptors_captured():
    """What is written to file descriptors 1 and 2 (by C code: DuckDB, a library's warning) while the block
    runs; yields {1: text, 2: text}, filled when the block ends."""
    written: dict[int, str] = {1: "", 2: ""}
    sys.stdout.flush()
    sys.stderr.flush()
    with tempfile.TemporaryFile() as fd_out, tempfile.TemporaryFile() as fd_err:
        kept = {1: os.dup(1), 2: os.dup(2)}
        os.dup2(fd_out.fileno(), 1)
        os.dup2(fd_err.fileno(), 2)
        try:
            yield written
        finally:
            for fd, copy in kept.items():
                os.dup2(copy, fd)
                os.close(copy)
            for fd, file in ((1, fd_out), (2, fd_err)):
                file.seek(0)
                written[fd] = file.read().decode("utf-8", "replace")


def built_once(tmp_path_factory, name: str, build: Callable[[Path], object]):
    """build(folder) run once per test session, its result (JSON: paths as text) shared by every pytest-xdist worker.

    The folder is <the workers' shared temporary folder>/<name> (the parent of each worker's own; a run without
    xdist uses its own). The first worker to ask builds while holding a file lock; the others wait on the lock, not
    for a fixed time, then read the result. A failed build is recorded, so the others fail with its message instead
    of building again. What is built is read by every worker: a test must copy it before changing it."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = root / name
    done, failed = root / f"{name}.json", root / f"{name}.failed"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)   # blocks while another worker builds
        try:
            if done.is_file():
                return json.loads(done.read_text(encoding="utf-8"))
            if failed.is_file():
                raise AssertionError(f"{name} failed to build in another test worker:\n"
                                     f"{failed.read_text(encoding='utf-8')}")
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            try:
                result = json.loads(json.dumps(build(folder), default=str))
            except BaseException as exc:
                failed.write_text(f"{type(exc).__name__}: {exc}", encoding="utf-8")
                raise
            done.write_text(json.dumps(result), encoding="utf-8")
            return result
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


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


def database_at_schema(db: Path, version: int) -> duckdb.DuckDBPyConnection:
    """A working database as an older borderlens made it: the committed migrations 1 to version, recorded as
    such; the caller fills it and closes the connection."""
    con = duckdb.connect(str(db))
    con.execute((REPO / "sql" / "meta" / "schema_version_table.sql").read_text())
    for number in range(1, version + 1):
        [path] = sorted((REPO / "sql" / "schema").glob(f"{number:03d}_*.sql"))
        con.execute(path.read_text())
        con.execute("insert into schema_version (version, file_name) values (?, ?)", [number, path.name])
    return con


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_RENDER = """
import sys
from playwright.sync_api import sync_playwright

url, chromium, args = sys.argv[1], sys.argv[2], sys.argv[3:]
with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path=chromium, args=args, headless=True)
    try:
        page = browser.new_page()
        page.goto(url, wait_until="domcontentloaded")
        page.wait_for_selector("[data-testid='stMain'] h1", timeout=120_000)
        page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')"
                               " && document.querySelector('[data-testid=stMetric]')", timeout=120_000)
        if page.locator("[data-testid='stException']").count():
            sys.exit("the Overview shows an exception")
        sys.stdout.write(page.locator("[data-testid='stApp']").inner_text())
    finally:
        browser.close()
"""


def rendered(url: str) -> str:
    """The Overview's text once the script has run in Chromium: its heading, no exception, Streamlit idle. In a
    process of its own: the browser tests' session keeps Playwright's event loop running in this one."""
    result = subprocess.run([sys.executable, "-c", _RENDER, url, CHROMIUM, *CHROMIUM_ARGS], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout
