"""Ingest publisher files: read as text, stage through a profile, validate in SQL, load or quarantine.

Per source the invariant rows_read = rows_loaded + rows_quarantined holds; a file already ingested
(same bytes, same profile) changes nothing; a new version of a series records what it revised.
"""

from __future__ import annotations

import hashlib
import sys
import threading
import tomllib
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from data_pipeline import geo
from data_pipeline.db import sql
from data_pipeline.errors import UserError
from data_pipeline.profiles import Profile, detect_profile, file_format, resolve_profile
from data_pipeline.staging import RawFile, json_header, read_csv_raw, read_json_raw, sniff_header, stage

INPUT_SUFFIXES = {".csv", ".json", ".geojson", ".txt", ".tsv"}


class _Hasher(threading.Thread):
    """sha256 of a file on a second thread (hashlib releases the GIL), while DuckDB reads it."""

    def __init__(self, path: Path):
        super().__init__(daemon=True)
        self.path, self.digest, self.size = path, "", 0

    def run(self) -> None:
        h = hashlib.sha256()
        with open(self.path, "rb") as handle:
            while chunk := handle.read(1 << 22):
                h.update(chunk)
                self.size += len(chunk)
        self.digest = h.hexdigest()


def expand_paths(paths: list[str]) -> list[Path]:
    """Files named, and the data files inside folders named (sorted, README and profiles left out)."""
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES)
        elif path.is_file():
            files.append(path)
        else:
            raise UserError(f"file not found: {name}")
    if not files:
        raise UserError(f"no data files in {', '.join(paths)}")
    return files


def sidecar_meta(path: Path) -> dict:
    """Metadata beside the data: FILE.meta.toml's [source] table overrides the profile's publisher,
    title, url, licence, series and synthetic flag for this one file."""
    meta_path = path.with_name(path.name + ".meta.toml")
    if not meta_path.is_file():
        return {}
    try:
        source = tomllib.loads(meta_path.read_text(encoding="utf-8")).get("source", {})
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{meta_path}: not valid TOML: {exc}") from None
    allowed = {"publisher", "title", "url", "licence", "series", "synthetic"}
    unknown = set(source) - allowed
    if unknown:
        raise UserError(f"{meta_path}: unknown key(s) {', '.join(sorted(unknown))} in [source]")
    return source


def choose_profile(path: Path, profile_arg: str | None) -> Profile:
    if profile_arg:
        return resolve_profile(profile_arg)
    fmt = file_format(path)
    if fmt == "csv":
        header, _ = sniff_header(path)
    elif fmt == "geojson":
        header = json_header(path, "$.features[*]", "properties")
    else:
        header = json_header(path)
    return detect_profile(path, header)


def _check_columns(path: Path, profile: Profile, raw: RawFile) -> None:
    """A file that lacks a column its profile needs for a required field is the wrong layout: say so."""
    present = {h.strip().lower() for h in raw.header} | {"_header", "_cell", "_geometry"}
    for name in profile.dataset.required_fields:
        spec = profile.fields[name]
        specs = [spec] if isinstance(spec, (str, dict)) else []
        if isinstance(spec, dict) and "columns" in spec:
            specs = spec["columns"]
        columns = [s if isinstance(s, str) else s.get("column") for s in specs]
        columns = [c for c in columns if c]
        if columns and not any(c.strip().lower() in present for c in columns):
            raise UserError(f"{path}: column '{columns[0]}' needed for {name} by profile {profile.name} "
                            f"is not in the file")


def _params(text: str, profile: Profile, extra: dict) -> dict:
    """The named parameters a statement uses, taken from the profile and the run."""
    read = profile.read
    values = {
        "date_formats": list(profile.date_formats),
        "withheld": profile.marker_list("withheld"),
        "missing": profile.marker_list("missing"),
        "decimal": read.get("decimal", "."),
        "thousands": read.get("thousands", ","),
        **extra,
    }
    return {k: v for k, v in values.items() if f"${k}" in text}


def _run(con: duckdb.DuckDBPyConnection, name: str, profile: Profile, **extra):
    text = sql(name)
    return con.execute(text, _params(text, profile, extra)).fetchall()


def _existing(con: duckdb.DuckDBPyConnection, sha256: str, profile: Profile) -> dict | None:
    rows = con.execute(sql("ingest/source_by_hash"), [sha256, profile.name]).fetchall()
    if not rows:
        return None
    source_id, rows_read, rows_loaded, rows_quarantined = rows[0]
    return {"source_id": source_id, "rows_read": rows_read, "rows_loaded": rows_loaded,
            "rows_quarantined": rows_quarantined}


def ingest_file(con: duckdb.DuckDBPyConnection, path: Path, profile_arg: str | None = None,
                progress=None) -> dict:
    """Ingest one file; returns the summary the CLI prints (--json contract in ARCHITECTURE.md)."""
    say = progress or (lambda step: None)
    profile = choose_profile(path, profile_arg)
    hasher = _Hasher(path)
    hasher.start()
    say("read")
    raw = read_json_raw(con, path, profile) if profile.format in ("json", "geojson") else \
        read_csv_raw(con, path, profile)
    hasher.join()
    summary = {"source_id": f"{profile.name}:{hasher.digest[:12]}", "path": str(path), "profile": profile.name,
               "sha256": hasher.digest}
    existing = _existing(con, hasher.digest, profile)
    if existing:
        return {**summary, **existing, "status": "unchanged"}
    _check_columns(path, profile, raw)
    say("stage")
    stage(con, path, profile, raw)
    dataset = profile.dataset.name
    say("validate")
    con.execute(sql("canonical/macros"))
    _run(con, f"canonical/{dataset}_typed", profile)
    meta = {**profile.meta, **sidecar_meta(path)}
    series = meta.get("series", profile.name)
    version = con.execute(sql("ingest/next_version"), [series]).fetchall()[0][0]
    synthetic = bool(con.execute(sql("ingest/staged_synthetic")).fetchall()[0][0]) or bool(meta.get("synthetic"))
    source_id = summary["source_id"]
    say("load")
    con.execute("begin transaction")
    try:
        con.execute(sql("ingest/insert_source"), {
            "source_id": source_id, "series_id": series, "dataset": dataset,
            "publisher": meta.get("publisher"), "title": meta.get("title"), "url": meta.get("url"),
            "licence": meta.get("licence"), "profile": profile.name, "file_name": path.name,
            "path": str(path), "sha256": hasher.digest, "bytes": hasher.size,
            "ingested_at": datetime.now(timezone.utc).replace(tzinfo=None), "version": version,
            "synthetic": synthetic,
        })
        _run(con, f"canonical/{dataset}_incoming", profile, source_id=source_id, series_id=series)
        if con.execute(sql(f"ingest/{dataset}_count")).fetchall()[0][0] > 0:
            _run(con, f"canonical/{dataset}_revisions", profile, source_id=source_id, version=version,
                 series_id=series)
            _run(con, f"canonical/{dataset}_replace", profile, series_id=series)
        _run(con, f"canonical/{dataset}_insert", profile)
        quarantine_sql = "canonical/quarantine_insert_json" if profile.format != "csv" else \
            "canonical/quarantine_insert"
        _run(con, quarantine_sql, profile, source_id=source_id, dataset=dataset)
        for reject in raw.rejected:
            con.execute(sql("ingest/insert_reader_reject"),
                        [source_id, dataset, reject["line"], [reject["reason"]], reject["raw"]])
        staged, rows_loaded, rows_quarantined = \
            con.execute(sql("ingest/source_counts"), {"source_id": source_id}).fetchall()[0]
        rows_read = staged + len(raw.rejected)
        if rows_read != rows_loaded + rows_quarantined:
            raise RuntimeError(f"{path}: {rows_read} rows read but {rows_loaded} loaded + "
                               f"{rows_quarantined} quarantined; refusing to record an unbalanced load")
        con.execute(sql("ingest/update_source_counts"), [rows_read, rows_loaded, rows_quarantined, source_id])
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return {**summary, "rows_read": rows_read, "rows_loaded": rows_loaded,
            "rows_quarantined": rows_quarantined, "status": "loaded"}


def ingest(con: duckdb.DuckDBPyConnection, paths: list[str], profile_arg: str | None = None,
           show_progress: bool = False) -> list[dict]:
    """Ingest every file named (folders expand to their data files), then derive the geo fields once."""
    files = expand_paths(paths)
    geo.ensure_reference(con)
    results = []
    for number, path in enumerate(files, start=1):
        progress = _progress_printer(number, len(files), path) if show_progress else None
        started = datetime.now(timezone.utc).replace(tzinfo=None)
        result = ingest_file(con, path, profile_arg, progress)
        con.execute(sql("ingest/insert_run"), [started, str(path), result["profile"], result["source_id"],
                                               result["status"]])
        if progress:
            progress(f"{result['status']}: {result['rows_loaded']:,} loaded, "
                     f"{result['rows_quarantined']:,} quarantined", done=True)
        results.append(result)
    if any(r["status"] == "loaded" for r in results):
        geo.derive(con)
    return results


def _progress_printer(number: int, total: int, path: Path):
    """A one-line progress display on stderr: file n of N, and the step it is at."""
    steps = ["read", "stage", "validate", "load"]

    def show(step: str, done: bool = False) -> None:
        filled = len(steps) if done else steps.index(step) + 1 if step in steps else 0
        bar = "#" * (filled * 5) + "-" * ((len(steps) - filled) * 5)
        end = "\n" if done else "\r"
        sys.stderr.write(f"\r[{bar}] {number}/{total} {path.name}: {step}".ljust(100)[:140] + end)
        sys.stderr.flush()

    return show
