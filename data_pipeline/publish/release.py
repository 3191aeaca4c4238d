"""`borderlens publish`: apply the policy to an in-memory copy of the working data and write a release folder.

The working database is attached read-only. Rules run on scratch tables (redaction.py) in a throwaway DuckDB
file in a private temporary folder (compressed and spillable, so a 10M-row table does not need tens of GB
of memory; scratch.py: mode 0700, removed when the publish ends, or by the next command after a kill -9). The
publish holds a lock on RELEASE_DIR so that a second one cannot race it. The release's DuckDB file is created
fresh and written once (release_files.py: CREATE TABLE AS from redacted results, never updated), so no page of
it ever held a protected value. The folder is built beside RELEASE_DIR and swapped in with one atomic rename
(here); a write the system refuses (read-only or full disk) ends in one line and leaves RELEASE_DIR as it was.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
from datetime import date
from pathlib import Path

import duckdb

from data_pipeline.publish import policy as policies
from data_pipeline.db import memory_limit, sql
from data_pipeline.errors import UserError, io_problem
from data_pipeline.publish.notice_verdicts import store_notice_verdicts
from data_pipeline.publish.operator_key import operator_key
from data_pipeline.publish.redaction import apply_policy
from data_pipeline.publish.release_files import write_release_files
from data_pipeline.publish.release_sql import DATASETS, REFERENCE_TABLES, checked, run
from data_pipeline.publish.scratch import private_folder, release_lock
from data_pipeline.publish.verify import DIGESTS, record_verified

PUBLISH_DATE_ENV = "BORDERLENS_PUBLISH_DATE"


def publish_date() -> date:
    """Today, or BORDERLENS_PUBLISH_DATE=YYYY-MM-DD (tests and re-runs of a past release)."""
    text = os.environ.get(PUBLISH_DATE_ENV)
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{PUBLISH_DATE_ENV} must be a date YYYY-MM-DD, not {text!r}") from None


def publish(db_path, policy_path, out_dir, previous_dir=None) -> dict:
    """Write the release for db_path under policy_path to out_dir; returns release_id, path and counts.
    previous_dir: the release this one follows (default: the release in out_dir, if any)."""
    policy = policies.load(policy_path)
    created = publish_date()
    db_path, out = Path(db_path), Path(out_dir)
    if not db_path.is_file():
        raise UserError(f"database not found: {db_path}")
    _check_out(out)
    with release_lock(out):
        _check_out(out)  # again: a publish that held the lock may have just made out a release
        previous = _previous_release(out, previous_dir)
        tmp = _temp_dir(out)
        try:
            with private_folder() as scratch:
                info, redactions, notes = _build(db_path, policy, created, out, scratch, tmp, previous)
        except (OSError, duckdb.Error) as exc:
            problem = io_problem(exc)
            if problem is None:
                raise
            state = "is unchanged" if (out / "release.json").is_file() else "was not written"
            raise UserError(f"cannot publish: {problem} (the release at {out} {state})") from None
        finally:
            shutil.rmtree(tmp, ignore_errors=True)  # gone already when it was swapped in
    return {"release_id": info["release_id"], "path": str(out), "created": created.isoformat(),
            "row_counts": info["row_counts"],
            "redactions": sum(r["rows_affected"] for r in redactions if r["rule_id"]), "notes": notes}


def _build(db_path: Path, policy, created: date, out: Path, scratch: Path, tmp: Path, previous: Path | None):
    """Redact in a scratch database in the private folder scratch, build the release in tmp and swap it in."""
    con = duckdb.connect(str(scratch / "scratch.duckdb"))
    con.execute("set enable_progress_bar = false")
    # memory DuckDB frees is given back to the system as it goes, not kept until the connection closes: at 10M
    # cells 1.6 GB of a finished read were still resident while the secondary suppression's arrays were made
    con.execute("set allocator_background_threads = true")
    try:
        try:
            con.execute(sql("release/attach_work"), {"path": str(db_path)})
        except duckdb.Error as exc:
            raise UserError(f"cannot open database {db_path}: {str(exc).splitlines()[0]}") from None
        tables = {r[0] for r in con.execute(sql("release/work_tables")).fetchall()}
        missing = [t for t in (*DATASETS, "sources", "revisions") if t not in tables]
        if missing:
            raise UserError(f"{db_path} is not a borderlens working database (no table {missing[0]})")
        present = set(con.execute(sql("release/work_columns")).fetchall())
        expected = {(d, f) for d, fields in policies.dataset_columns().items() for f in fields}
        newer_tables = {"conflicting_figures", "dimension_code_lists"}   # migrations 008 and 010
        if expected - present or newer_tables - tables or ("sources", "public") not in set(
                con.execute(sql("release/work_source_columns")).fetchall()):
            raise UserError(f"{db_path} has an older schema: run `borderlens status --db {db_path}` to upgrade it")
        key = operator_key(db_path)
        for table in REFERENCE_TABLES:
            if table in tables:
                run(con, "release/load_reference", table=checked(table, REFERENCE_TABLES))
        with memory_limit(con):
            redactions, notes = apply_policy(con, policy, created, previous)
            store_notice_verdicts(con)  # after the policy: judged on published values only
            info = write_release_files(con, tmp, policy, created, redactions,
                                       [t for t in REFERENCE_TABLES if t in tables], key,
                                       previous=out if (out / "release.json").is_file() else None,
                                       audit=notes.get("suppression_audit"))
            _sync_tree(tmp)
            _swap_in(tmp, out)
            # the files' SHA-256 were taken as they were written (digests.json): servers need not read them again
            record_verified(out, json.loads((out / DIGESTS).read_text(encoding="utf-8")))
    finally:
        con.close()
    return info, redactions, notes


# ---------------------------------------------------------------------------------------------- the folder


def _previous_release(out: Path, given) -> Path | None:
    """The release whose suppressed cells stay suppressed: --previous, else the release being replaced."""
    if given is None:
        return out if (out / "release.json").is_file() and (out / "borderlens.duckdb").is_file() else None
    given = Path(given)
    if not (given / "release.json").is_file() or not (given / "borderlens.duckdb").is_file():
        raise UserError(f"previous release not found: {given} (a release folder with release.json and "
                        f"borderlens.duckdb)")
    return given


def _check_out(out: Path) -> None:
    if not out.parent.is_dir():
        raise UserError(f"folder for the release does not exist: {out.parent}")
    if out.exists() and not out.is_dir():
        raise UserError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / "release.json").is_file():
        raise UserError(f"{out} is not empty and holds no release.json: refusing to replace it")


def _temp_dir(out: Path) -> Path:
    """A fresh build folder beside out (same file system, so the final rename is atomic). Called under the lock
    on out, so any other build folder of out is a dead publish's: removed first."""
    prefix = f".{out.name}.publish-"
    for stale in out.parent.glob(prefix + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    tmp = out.parent / f"{prefix}{os.getpid()}-{os.urandom(4).hex()}"
    try:
        (tmp / "extracts").mkdir(parents=True)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise UserError(f"cannot write in the folder for the release {out.parent}: {exc.strerror or exc}") from None
    return tmp


def _sync_tree(folder: Path) -> None:
    """fsync every file and folder, so that a crash after the rename cannot expose a half-written release."""
    for path in sorted(folder.rglob("*"), reverse=True) + [folder]:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


_RENAME_EXCHANGE = 2


def _swap_in(tmp: Path, out: Path) -> None:
    """Make tmp the release at out in one step. An existing release is exchanged atomically (renameat2) and
    removed afterwards; where the file system cannot exchange, it is moved aside just before the rename."""
    if not out.exists():
        os.rename(tmp, out)
    else:
        if not _exchange(tmp, out):
            aside = tmp.with_name(tmp.name + "-old")
            os.rename(out, aside)
            os.rename(tmp, out)
            tmp = aside
        shutil.rmtree(tmp, ignore_errors=True)
    fd = os.open(out.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), f"cannot swap {a} into {b}")
