"""`borderlens verify --release R`: check a release folder against the digests it carries, one line per problem.

digests.json (written last by release_files.py) lists every other file of the release with its size and
SHA-256; release.json holds the release id and row counts that borderlens.duckdb must match. A half-copied,
truncated or edited release is caught before anyone serves or cites it; the app runs the same check cheaply
(`release_problems`).
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import mmap
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from data_pipeline.errors import UserError

MANIFEST = "release.json"
DIGESTS = "digests.json"
DB_FILE = "borderlens.duckdb"
READ_BLOCK = 8 << 20   # bytes a read past the page cache: a multiple of any device's block size, as O_DIRECT needs


def file_digest(path: Path) -> str:
    """The file's SHA-256, read past the page cache (O_DIRECT) where the file system allows: a check reads each of a
    release's GB once, and copying them through the cache was most of the check's time at 10M figures (19 of 26.6 s
    were system time). Where a file system refuses direct reads, and from a short read on, through the cache."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECT) if hasattr(os, "O_DIRECT") else None
    except OSError:   # a file system without direct reads: EINVAL
        fd = None
    if fd is None:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    digest = hashlib.sha256()
    buffer = mmap.mmap(-1, READ_BLOCK)   # page-aligned, as O_DIRECT needs
    view = memoryview(buffer)
    try:
        while True:
            try:
                got = os.readv(fd, [buffer])
            except OSError as exc:
                if exc.errno != errno.EINVAL or not fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_DIRECT:
                    raise
                # after a short read the offset is no longer aligned: the rest through the cache
                fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_DIRECT)
                continue
            if not got:
                return digest.hexdigest()
            digest.update(view[:got])
    finally:
        view.release()
        buffer.close()
        os.close(fd)


def manifest_of(folder: Path, hashed: dict[Path, dict] | None = None) -> dict[str, dict]:
    """{relative path: {"bytes", "sha256"}} of every file in folder but digests.json, in path order. hashed: files
    this process hashed as it wrote them ({path: {"bytes", "sha256"}}), not read again while their size matches."""
    known = {Path(p): d for p, d in (hashed or {}).items()}
    paths = [p for p in sorted(folder.rglob("*")) if p.is_file() and p.relative_to(folder).as_posix() != DIGESTS]
    sizes = [p.stat().st_size for p in paths]
    todo = [p for p, size in zip(paths, sizes) if known.get(p, {}).get("bytes") != size]
    # two files at a time (hashlib lets go of the GIL): a 10M-figure release holds 12 GB of extracts, 16 s one by one
    with ThreadPoolExecutor(max_workers=2) as pool:
        digests = dict(zip(todo, pool.map(file_digest, todo)))
    return {p.relative_to(folder).as_posix(): {"bytes": size, "sha256": digests[p] if p in digests else known[p]["sha256"]}
            for p, size in zip(paths, sizes)}


def write_digests(folder: Path, release_id: str, hashed: dict[Path, dict] | None = None) -> None:
    """digests.json, the last file of a release: every other file's size and SHA-256. A file of its own, so
    that release.json stays the same bytes for the same content (borderlens.duckdb's bytes are not). hashed: as
    manifest_of's."""
    payload = {"release_id": release_id, "algorithm": "sha256", "files": manifest_of(folder, hashed)}
    (folder / DIGESTS).write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _read_json(path: Path) -> tuple[dict | None, str | None]:
    name = path.name
    if not path.is_file():
        return None, f"missing file: {name}"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) else f"{type(exc).__name__}: {str(exc)[:120]}"
        return None, f"unreadable: {name} ({detail})"
    if not isinstance(data, dict) or not isinstance(data.get("release_id"), str):
        return None, f"unreadable: {name} (no release_id)"
    return data, None


def read_manifest(folder: Path) -> tuple[dict | None, str | None]:
    """(digests.json's files, None), or (None, the one-line problem)."""
    digests, problem = _read_json(folder / DIGESTS)
    if problem:
        if problem.startswith("missing"):  # also a release published before digests.json existed
            problem += " (nothing to check the files against: publish the release again)"
        return None, problem
    assert digests is not None  # _read_json gives a dict or a problem
    files = digests.get("files")
    if not isinstance(files, dict) or not all(isinstance(v, dict) and isinstance(v.get("bytes"), int)
                                              and isinstance(v.get("sha256"), str) for v in files.values()):
        return None, f"unreadable: {DIGESTS} (no files with bytes and sha256)"
    outside = next((n for n in files if Path(n).is_absolute() or ".." in Path(n).parts or "\\" in n), None)
    if outside is not None:  # never look outside the folder, whatever the file says
        return None, f"unreadable: {DIGESTS} (a path outside the release: {outside[:80]})"
    return digests, None


def file_problems(folder: Path, files: dict[str, dict], hashes: bool = True) -> list[str]:
    """Missing, truncated, altered files of the manifest; with hashes=False only what sizes can tell."""
    problems = []
    for name, want in files.items():
        path = folder / name
        try:
            size = path.stat().st_size if path.is_file() else None
        except OSError:
            size = None
        if size is None:
            problems.append(f"missing file: {name}")
        elif size < want["bytes"]:
            problems.append(f"truncated: {name} ({size:,} of {want['bytes']:,} bytes)")
        elif size > want["bytes"]:
            problems.append(f"altered: {name} ({size:,} bytes, {want['bytes']:,} published)")
        elif hashes:
            try:
                if file_digest(path) != want["sha256"]:
                    problems.append(f"altered: {name} (its SHA-256 differs from digests.json)")
            except OSError as exc:
                problems.append(f"unreadable: {name} ({exc.strerror or exc})")
    return problems


def unexpected_files(folder: Path, files: dict[str, dict]) -> list[str]:
    names = [p.relative_to(folder).as_posix() for p in sorted(folder.rglob("*")) if p.is_file()]
    return [f"unexpected file: {name}" for name in names if name not in files and name != DIGESTS]


def _about(problem: str) -> str:
    """The file a problem line is about ('truncated: extracts/a.csv (1 of 2 bytes)' -> 'extracts/a.csv')."""
    return problem.split(": ", 1)[-1].split(" (", 1)[0]


def database_problems(folder: Path, info: dict) -> list[str]:
    """The release id and row counts in release.json against borderlens.duckdb's own release_info and tables."""
    import duckdb

    from data_pipeline.db import sql
    from data_pipeline.publish.release_files import PUBLIC_TABLES
    from data_pipeline.publish.release_sql import DATASETS, REFERENCE_TABLES, checked, run

    try:
        con = duckdb.connect(str(folder / DB_FILE), read_only=True)
    except duckdb.Error as exc:
        return [f"unreadable: {DB_FILE} ({str(exc).splitlines()[0][:160]})"]
    problems = []
    try:
        con.execute("set enable_progress_bar = false")
        ids = [r[0] for r in con.execute(sql("verify/release_id")).fetchall()]
        if ids != [info["release_id"]]:
            problems.append(f"altered: {DB_FILE} (its release_id {ids[0] if ids else 'is missing'}, "
                            f"release.json says {info['release_id']})")
        tables = {r[0] for r in con.execute(sql("verify/tables")).fetchall()}
        allowed = (*DATASETS, *REFERENCE_TABLES, *PUBLIC_TABLES)
        for table, want in sorted((info.get("row_counts") or {}).items()):
            if table not in allowed or table not in tables:
                problems.append(f"altered: {DB_FILE} (no table {table}, which release.json counts)")
                continue
            count = run(con, "verify/row_count", table=checked(table, allowed))[0][0]
            if count != want:
                problems.append(f"altered: {DB_FILE} ({table} has {count:,} rows, release.json says {want:,})")
    except duckdb.Error as exc:
        problems.append(f"unreadable: {DB_FILE} ({str(exc).splitlines()[0][:160]})")
    finally:
        con.close()
    return problems


def verify(release) -> list[str]:
    """Every problem of the release folder, one line each; [] when it is whole. A folder that is not there is
    the user's mistake (UserError), not a problem of a release."""
    folder = Path(release)
    if not folder.is_dir():
        raise UserError(f"release folder not found: {folder}")
    info, info_problem = _read_json(folder / MANIFEST)
    digests, problem = read_manifest(folder)
    if problem or digests is None:
        return [p for p in (info_problem, problem) if p]
    files = digests["files"]
    problems = file_problems(folder, files) + unexpected_files(folder, files)
    for name in (MANIFEST, DB_FILE):
        if name not in files:
            problems.append(f"missing file: {name} ({DIGESTS} does not list it)")
    broken = {_about(p) for p in problems}
    if info_problem and MANIFEST not in broken:
        problems.append(info_problem)
    if info is not None and digests["release_id"] != info["release_id"]:
        problems.append(f"altered: {DIGESTS} (release id {digests['release_id']}, "
                        f"{MANIFEST} says {info['release_id']})")
    if info is not None and not broken & {MANIFEST, DB_FILE} and DB_FILE in files:
        problems += database_problems(folder, info)
    return problems


_SEEN: dict[tuple, tuple[str, ...]] = {}
_SEEN_LOCK = threading.Lock()


def _signature(folder: Path, names) -> tuple:
    """What changes when any file of the release does: size, modification time and inode of each."""
    out: list[tuple] = []
    for name in (DIGESTS, *names):
        try:
            st = (folder / name).stat()
            out.append((name, st.st_size, st.st_mtime_ns, st.st_ino))
        except OSError:
            out.append((name, None))
    return tuple(out)


def stamp_path(folder: Path) -> Path:
    """Where the record of folder's last full check is kept: beside the release folder, not in it (a release's
    files are exactly those digests.json lists)."""
    return folder.parent / f".{folder.name}.verified.json"


def _file_signature(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def record_verified(folder: Path, digests: dict, signatures: dict[str, list[int]] | None = None) -> None:
    """Record that every file of the release matched its SHA-256 as it was (size, modification time, inode: taken
    before it was hashed, so that a change while it was read is not vouched for), so that another process, a server
    started later or a replica, need not read every byte again: at 10M crossing rows that was 12 GB, 10 s of the
    first page view of each new server. Best effort: where the folder's parent cannot be written, each process
    hashes once, as before."""
    tmp = folder.parent / f".{folder.name}.verified.{os.getpid()}-{threading.get_ident()}.tmp"
    try:
        signatures = signatures or {name: _file_signature(folder / name) for name in digests["files"]}
        record = {"release_id": digests["release_id"],
                  "files": {name: [*signatures[name], want["sha256"]] for name, want in digests["files"].items()}}
        tmp.write_text(json.dumps(record), encoding="utf-8")
        os.replace(tmp, stamp_path(folder))
    except OSError:
        tmp.unlink(missing_ok=True)


def _recorded(folder: Path, digests: dict) -> bool:
    """Whether the record of the last full check vouches for every file as it is now: the same release id, and per
    file the same size, modification time, inode and SHA-256 as digests.json lists. A record that cannot be read
    vouches for nothing."""
    try:
        record = json.loads(stamp_path(folder).read_text(encoding="utf-8"))
        files = record["files"]
        return record["release_id"] == digests["release_id"] and set(files) == set(digests["files"]) and all(
            files[name] == [*_file_signature(folder / name), want["sha256"]]
            for name, want in digests["files"].items())
    except (OSError, ValueError, KeyError, TypeError):
        return False


def release_problems(release) -> list[str]:
    """The app's check on every run: release.json and digests.json readable and every listed file there with
    its size (a few stat calls); their SHA-256 once per change of the files' sizes, times or inodes, and not at all
    when publish, or another process's full check, recorded them as they are (record_verified). `borderlens
    verify` always reads every byte. A release without digests.json (published before it existed) is served on
    release.json alone; verify reports it. A failed check is made once more: a publish swapping a new release in
    mid-check mixes two whole ones."""
    return _release_problems(Path(release)) and _release_problems(Path(release))


def _release_problems(folder: Path) -> list[str]:
    info, problem = _read_json(folder / MANIFEST)
    if problem or info is None:
        return [problem or f"unreadable: {MANIFEST}"]
    if not (folder / DIGESTS).exists():
        return []
    digests, problem = read_manifest(folder)
    if problem or digests is None:
        return [problem or f"unreadable: {DIGESTS}"]
    files = digests["files"]
    problems = file_problems(folder, files, hashes=False)
    if digests["release_id"] != info["release_id"]:
        problems.append(f"altered: {DIGESTS} (release id {digests['release_id']}, {MANIFEST} says "
                        f"{info['release_id']})")
    if problems:
        return problems
    key = (str(folder.resolve()), _signature(folder, files))
    with _SEEN_LOCK:
        if key not in _SEEN:
            if len(_SEEN) > 64:
                _SEEN.clear()
            if _recorded(folder, digests):
                _SEEN[key] = ()
            else:
                _SEEN[key] = tuple(file_problems(folder, files))
                taken = {entry[0]: list(entry[1:]) for entry in key[1] if len(entry) == 4}  # before the hashing
                if not _SEEN[key] and set(files) <= set(taken):
                    record_verified(folder, digests, taken)
        return list(_SEEN[key])
