"""Ingest publisher files: read as text, stage through a profile, validate in SQL, load or quarantine.

Per source the invariant rows_read = rows_loaded + rows_quarantined holds; a file already ingested
(same bytes, same profile) changes nothing; a new version of a series records what it revised.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import sys
import threading
import time
import tomllib
from contextlib import contextmanager, nullcontext
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from data_pipeline.ingest.compressed import InputFile, UnpackAhead, expand_paths, inputs
from data_pipeline.ingest.cube import code_list_rows
from data_pipeline.db import memory_limit, sql
from data_pipeline.errors import UserError
from data_pipeline.ingest import identifiers
from data_pipeline.ingest.line_numbers import exact_lines
from data_pipeline.ingest.profiles import (SHEET_FORMATS, Profile, detect_profile, file_format, known_profiles,
                                           profile_folders, resolve_profile)
from data_pipeline.ingest.sheets import sheet_as_csv, sheet_headers, sheet_kind, sheet_lines
from data_pipeline.ingest.text_files import refuse_non_text
from data_pipeline.ingest.transforms import DATE_FIELDS
from data_pipeline.ingest.staging import (RawFile, detach_scratch, json_header, read_csv_raw, read_json_raw, sniff_header,
                                   stage)

@contextmanager
def _timed(step: str):
    """With BORDERLENS_TIMINGS=1 in the environment, print on stderr how long a step took, the CPU time it used
    (all threads) and the process's peak RSS so far (a profiling aid; see bench/README.md)."""
    if os.environ.get("BORDERLENS_TIMINGS") != "1":
        yield
        return
    started, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        import resource  # Unix only, like this aid

        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        sys.stderr.write(f"timing {step:<36} {time.perf_counter() - started:8.3f} s wall "
                         f"{time.process_time() - cpu:8.3f} s cpu {peak_mb:8.0f} MB peak\n")


# geo's modules import pandas, numpy, shapely and pyproj: about 0.35 s of a new process, which the ingest needs only
# for the reference tables and, at the end, geo.derive. They are imported on a second thread while the first file is
# unpacked and read (DuckDB and zlib release the GIL), and imported here, lazily, where they are used: an import that
# the thread has begun waits for it to finish (Python's per-module import lock).
GEO_MODULES = ("data_pipeline.geo.reference", "data_pipeline.geo.places", "data_pipeline.geo.host_country")


class _GeoImports(threading.Thread):
    """Import GEO_MODULES ahead of their use; a failure is left for the using thread's own import to raise."""

    def __init__(self):
        super().__init__(daemon=True, name="borderlens-geo-imports")

    def run(self) -> None:
        for name in GEO_MODULES:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 (raised again, where it is used, by that import)
                return


def _geo(name: str):
    """data_pipeline.geo.<name>, imported where it is first used (see GEO_MODULES)."""
    return importlib.import_module(f"data_pipeline.geo.{name}")


class _Hasher(threading.Thread):
    """sha256 of a file on a second thread (hashlib releases the GIL), while DuckDB reads it."""

    def __init__(self, path: Path):
        super().__init__(daemon=True)
        self.path, self.digest, self.size, self.newlines = path, "", 0, 0

    def run(self) -> None:
        h = hashlib.sha256()
        with open(self.path, "rb") as handle:
            while chunk := handle.read(1 << 22):
                h.update(chunk)
                self.size += len(chunk)
                self.newlines += chunk.count(b"\n")  # do the records fill one line each? (line_numbers.py)
        self.digest = h.hexdigest()


def sidecar_meta(path: Path) -> dict:
    """Metadata beside the data: FILE.meta.toml's [source] table overrides the profile's publisher,
    title, url, licence, series and synthetic flag for this one file, and may declare the file itself public."""
    meta_path = path.with_name(path.name + ".meta.toml")
    if not meta_path.is_file():
        return {}
    try:
        source = tomllib.loads(meta_path.read_text(encoding="utf-8")).get("source", {})
    except UnicodeDecodeError:
        raise UserError(f"{meta_path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{meta_path}: not valid TOML: {exc}") from None
    if not isinstance(source, dict):
        raise UserError(f"{meta_path}: 'source' must be a table: [source]")
    allowed = {"publisher", "title", "url", "licence", "series", "synthetic", "public"}
    unknown = set(source) - allowed
    if unknown:
        raise UserError(f"{meta_path}: unknown key(s) {', '.join(sorted(unknown))} in [source]")
    for key in ("synthetic", "public"):
        if key in source and not isinstance(source[key], bool):
            raise UserError(f"{meta_path}: [source] {key} must be true or false, not {source[key]!r}")
    for key in allowed - {"synthetic", "public"}:
        if key in source and not isinstance(source[key], str):
            raise UserError(f"{meta_path}: [source] {key} must be text, not {source[key]!r}")
    return source


def choose_profile(path: Path, profile_arg: str | None, profiles: dict[str, Profile] | None = None) -> Profile:
    if path.stat().st_size == 0:
        raise UserError(f"{path}: the file is empty")
    sheet = sheet_kind(path)
    if sheet is None:
        refuse_non_text(path)
    if profile_arg:
        profile = resolve_profile(profile_arg, profiles)
        if (sheet is None) != (profile.format not in SHEET_FORMATS):
            what = f"a spreadsheet ({sheet})" if sheet else "not a spreadsheet"
            raise UserError(f"{path}: the file is {what}, but profile {profile.name} reads {profile.format}")
        return profile
    if sheet:
        return detect_profile(path, sheet_headers(path), profiles, fmt=sheet)
    fmt = file_format(path)
    fmt = "csv" if fmt in SHEET_FORMATS else fmt  # named as a workbook, but text
    if fmt == "csv":
        header, _ = sniff_header(path)
    elif fmt == "geojson":
        header = json_header(path, "$.features[*]", "properties")
    else:
        header = json_header(path)
    return detect_profile(path, header, profiles, fmt=fmt)


def _check_columns(path: Path, profile: Profile, raw: RawFile) -> None:
    """A file that lacks a column its profile needs for a required field is the wrong layout: say so."""
    if profile.format == "csv":
        delimiter = profile.read.get("delimiter", ",")
        header, found = sniff_header(path)
        if found != delimiter and len(raw.header) == 1:
            names = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "bars"}
            raise UserError(f"{path}: the header is separated by {names.get(found, repr(found))}, but profile "
                            f"{profile.name} reads {names.get(delimiter, repr(delimiter))}")
        if not int(profile.read.get("skip_lines", 0)):  # the header is the first line: are used names repeated?
            names_used = {c.strip().lower() for c in _profile_columns(profile.fields.values())}
            seen = [h.strip().lower() for h in header]
            twice = sorted({h for h in seen if h in names_used and seen.count(h) > 1})
            if twice:
                raise UserError(f"{path}: the header names column '{twice[0]}' more than once; profile "
                                f"{profile.name} cannot tell which one holds the data")
    present = {h.strip().lower() for h in raw.header} | {"_header", "_cell", "_geometry"}
    for name in profile.dataset.required_fields:
        columns = _profile_columns([profile.fields[name]])
        if columns and not any(c.strip().lower() in present for c in columns):
            raise UserError(f"{path}: column '{columns[0]}' needed for {name} by profile {profile.name} "
                            f"is not in the file")


def _profile_columns(specs) -> list[str]:
    """The file columns a profile's field specs read (a name, {column}, or {columns: [...]})."""
    found = []
    for spec in specs:
        if isinstance(spec, str):
            found.append(spec)
        elif isinstance(spec, dict):
            found += [spec["column"]] if isinstance(spec.get("column"), str) else []
            found += _profile_columns(spec.get("columns", []))
    return found


def _values(profile: Profile, extra: dict) -> dict:
    """The values statements may use, taken from the profile and the run."""
    read = profile.read
    values = {
        "date_formats": list(profile.date_formats),
        "withheld": profile.marker_list("withheld"),
        "missing": profile.marker_list("missing"),
        "estimated": profile.marker_list("estimated"),
        "decimal": read.get("decimal", "."),
        "thousands": read.get("thousands", ","),
        "earliest": profile.date_window[0],
        "latest": profile.date_window[1],
        "fiscal_start": profile.fiscal_year_start,
        "unknown_parts": list(profile.unknown_parts),
        "mapped_fields": list(profile.fields),
        **extra,
    }
    for name in DATE_FIELDS:   # a date field's own formats ([fields] NAME = { ..., formats = [...] }), else [dates]
        spec = profile.fields.get(name)
        values[f"{name}_formats"] = list(spec.get("formats") or profile.date_formats) if isinstance(spec, dict) \
            else list(profile.date_formats)
    return values


def _run(con: duckdb.DuckDBPyConnection, name: str, profile: Profile, **extra):
    """Run sql/<name>.sql. A value it names as $key is bound as a parameter; one it reads as
    getvariable('bl_key') (in a view, which cannot hold parameters) is first bound into that session variable."""
    text = sql(name)
    values = _values(profile, extra)
    with _timed(name):
        for key, value in values.items():
            if f"getvariable('bl_{key}')" in text:
                con.execute(identifiers.set_variable(f"bl_{key}"), {"value": value})
        return con.execute(text, {k: v for k, v in values.items() if f"${k}" in text}).fetchall()


def _drop_working(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the previous file's _typed and _incoming: a dataset may make them views, another tables, and
    `create or replace` cannot turn one kind into the other."""
    for name in ("_typed", "_incoming"):
        kinds = con.execute("select 'view' from duckdb_views() where temporary and view_name = $name "
                            "union all select 'table' from duckdb_tables() where temporary and table_name = $name",
                            {"name": name}).fetchall()
        for (kind,) in kinds:
            con.execute(identifiers.drop(kind, name))


def _existing(con: duckdb.DuckDBPyConnection, sha256: str, profile: Profile) -> dict | None:
    rows = con.execute(sql("ingest/source_by_hash"), [sha256, profile.name]).fetchall()
    if not rows:
        return None
    source_id, rows_read, rows_loaded, rows_quarantined = rows[0]
    return {"source_id": source_id, "rows_read": rows_read, "rows_loaded": rows_loaded,
            "rows_quarantined": rows_quarantined}


def _summary(item: InputFile, profile: Profile, hasher: _Hasher) -> dict:
    return {"source_id": f"{profile.name}:{hasher.digest[:12]}", "path": item.name, "profile": profile.name,
            "sha256": hasher.digest}


def ingest_file(con: duckdb.DuckDBPyConnection, item: InputFile | Path, profile_arg: str | None = None,
                progress=None, profiles: dict[str, Profile] | None = None) -> dict:
    """Ingest one file (or one unpacked from a compressed one, which its summary and the sources table name as
    shipped: ARCHIVE!MEMBER); returns the summary the CLI prints (--json contract in ARCHITECTURE.md)."""
    item = item if isinstance(item, InputFile) else InputFile(item, item)
    path = item.path  # the bytes to read (for a compressed file, the unpacked copy)
    say = progress or (lambda step: None)
    profile = choose_profile(path, profile_arg, profiles)
    hasher = _Hasher(path)
    maybe_unchanged = con.execute(sql("ingest/source_by_size"),
                                  {"bytes": path.stat().st_size, "profile": profile.name}).fetchall()[0][0]
    if maybe_unchanged:  # hash first: an unchanged file is then never read
        hasher.run()
        existing = _existing(con, hasher.digest, profile)
        if existing:
            return {**_summary(item, profile, hasher), **existing, "status": "unchanged"}
    else:  # a new size cannot be an old file: hash on a second thread while DuckDB reads
        hasher.start()
    say("read")
    # a workbook's sheet is read as a CSV copy, with the profile as that copy is read (sheets.py)
    with _timed("read"), (sheet_as_csv(path, profile) if profile.format in SHEET_FORMATS else
                          nullcontext((path, profile, None))) as (source, profile, sheet_rows):
        raw = read_json_raw(con, path, profile) if profile.format in ("json", "geojson") else \
            read_csv_raw(con, source, profile)
        if hasher.ident is not None:
            hasher.join()
        _check_columns(source, profile, raw)
    summary = _summary(item, profile, hasher)
    raw = exact_lines(con, path, profile, raw, hasher.newlines) if sheet_rows is None else \
        sheet_lines(con, path, raw, sheet_rows)
    _ensure_reference(con)
    say("stage")
    _drop_working(con)
    con.execute(sql("canonical/macros"))  # before the staged view, which may call them (a field's scale)
    with _timed("stage"):
        stage(con, path, profile, raw)
    dataset = profile.dataset.name
    say("validate")
    _run(con, f"canonical/{dataset}_typed", profile)
    meta = {**profile.meta, **sidecar_meta(item.shipped)}
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
            "licence": meta.get("licence"), "profile": profile.name, "file_name": item.file_name,
            "path": item.name, "sha256": hasher.digest, "bytes": hasher.size,
            "ingested_at": datetime.now(timezone.utc).replace(tzinfo=None), "version": version,
            "synthetic": synthetic, "public": bool(meta.get("public", False)),
        })
        _run(con, f"canonical/{dataset}_incoming", profile, source_id=source_id, series_id=series)
        if con.execute(sql(f"ingest/{dataset}_count")).fetchall()[0][0] > 0:
            _run(con, f"canonical/{dataset}_revisions", profile, source_id=source_id, version=version,
                 series_id=series)
            _run(con, f"canonical/{dataset}_replace", profile, series_id=series)
        _run(con, f"canonical/{dataset}_insert", profile, source_id=source_id)
        if profile.dataset.text_list_fields:
            _run(con, f"canonical/{dataset}_as_published", profile, source_id=source_id)
        quarantine_sql = "canonical/quarantine_insert_json" if profile.format != "csv" else \
            "canonical/quarantine_insert"
        _run(con, quarantine_sql, profile, source_id=source_id, dataset=dataset)
        if dataset == "crossings":  # the keys (never the values) of figures absent for conflicting rows
            _run(con, "ingest/crossings_conflicting", profile, source_id=source_id)
            for row in code_list_rows(profile.dimensions):   # what the codes mean, for the release's labels
                _run(con, "ingest/dimension_code_list", profile, source_id=source_id, **row)
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
        with _timed("commit"):
            con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return {**summary, "rows_read": rows_read, "rows_loaded": rows_loaded,
            "rows_quarantined": rows_quarantined, "status": "loaded"}


def ingest(con: duckdb.DuckDBPyConnection, paths: list[str], profile_arg: str | None = None,
           show_progress: bool = False, profiles: dict[str, Profile] | None = None,
           ahead: UnpackAhead | None = None) -> list[dict]:
    """Ingest every file named (folders expand to their data files, compressed files to the data files inside),
    then derive the geo fields once. profiles: those detection chooses from (default: the built-in ones and those
    in the folders of BORDERLENS_PROFILES); ahead: the first file, already being unpacked (cli.py)."""
    files = expand_paths(paths)
    if profiles is None:
        profiles = known_profiles(profile_folders([]))
    with memory_limit(con):
        return _ingest(con, files, profile_arg, show_progress, profiles, ahead)


def _ensure_reference(con: duckdb.DuckDBPyConnection) -> None:
    """The countries and borders tables, loaded into a database that lacks them (one query when present). Before a
    file's rows are validated (they are checked against countries), and at the end of every ingest."""
    with _timed("geo.ensure_reference"):
        _geo("reference").ensure_reference(con)


def _ingest(con: duckdb.DuckDBPyConnection, files: list[Path], profile_arg: str | None,
            show_progress: bool, profiles: dict[str, Profile], ahead: UnpackAhead | None) -> list[dict]:
    imports = None
    if not all(name in sys.modules for name in GEO_MODULES):
        imports = _GeoImports()
        imports.start()
    results: list[dict] = []
    try:
        for number, path in enumerate(files, start=1):
            for item in _unpacked(con, path, profile_arg, ahead):  # a compressed file's data files, in turn
                results.append(_ingest_one(con, item, profile_arg, profiles,
                                           _progress_printer(number, len(files), item) if show_progress else None))
    finally:
        detach_scratch(con)
        _ensure_reference(con)  # also when no file got as far as validation (unchanged, or refused)
        # Also when a later file failed: the files loaded before it get their border fields now, not never.
        if any(r["status"] == "loaded" for r in results):
            with _timed("geo.derive"):
                _geo("places").derive(con)
            with _timed("geo.host_country"):
                _geo("host_country").check(con)
        if imports is not None:  # never left importing while the process exits (after a refused file, say)
            imports.join()
    return results


def _unpacked(con: duckdb.DuckDBPyConnection, path: Path, profile_arg: str | None, ahead: UnpackAhead | None):
    """compressed.inputs(path); a file that cannot be unpacked is recorded in ingest_runs as failed, as any other."""
    started = datetime.now(timezone.utc).replace(tzinfo=None)
    try:
        yield from inputs(path, ahead)
    except UserError as exc:  # only the unpacking's own: the caller's errors are not thrown in here
        con.execute(sql("ingest/insert_run"), [started, str(path), profile_arg, None, "failed", str(exc)])
        raise


def _ingest_one(con: duckdb.DuckDBPyConnection, item: InputFile, profile_arg: str | None,
                profiles: dict[str, Profile], progress) -> dict:
    started = datetime.now(timezone.utc).replace(tzinfo=None)
    try:
        with _timed(f"ingest_file {item.file_name}"):
            result = ingest_file(con, item, profile_arg, progress, profiles)
    except UserError as exc:  # recorded, then reported; the files before it stay loaded
        told = item.told(exc)
        con.execute(sql("ingest/insert_run"), [started, item.name, profile_arg, None, "failed", str(told)])
        raise told from None
    con.execute(sql("ingest/insert_run"), [started, item.name, result["profile"], result["source_id"],
                                           result["status"], None])
    if progress:
        progress(f"{result['status']}: {result['rows_loaded']:,} loaded, "
                 f"{result['rows_quarantined']:,} quarantined", done=True)
    return result


def _progress_printer(number: int, total: int, item: InputFile):
    """A one-line progress display on stderr: file n of N, and the step it is at."""
    steps = ["read", "stage", "validate", "load"]

    def show(step: str, done: bool = False) -> None:
        filled = len(steps) if done else steps.index(step) + 1 if step in steps else 0
        bar = "#" * (filled * 5) + "-" * ((len(steps) - filled) * 5)
        end = "\n" if done else "\r"
        sys.stderr.write(f"\r[{bar}] {number}/{total} {item.file_name}: {step}".ljust(100)[:140] + end)
        sys.stderr.flush()

    return show
