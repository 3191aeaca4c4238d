"""Private scratch folders for unredacted copies, and the lock a publish takes on its release folder.

A scratch folder is made mode 0700 in the system's temporary folder and its process holds a lock (flock) on a
file in it for as long as it lives, so any later command can tell a dead one (kill -9) from a live one and
remove it: its data was never redacted. Process ids alone would not do: they are reused.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path

from data_pipeline.errors import UserError

PUBLISH_PREFIX = "borderlens-publish-"
INGEST_PREFIX = "borderlens-ingest-"   # an ingest's copies of its inputs (transcoded, re-lined, staged)
COPY_PREFIX = "borderlens-copy-"   # the pipe an extract is written through (export/copy_sink.py)
ALIVE = ".alive"  # the file a live scratch folder's process holds locked


@contextmanager
def private_folder(prefix: str = PUBLISH_PREFIX):
    """A new folder only this user can enter, locked while we run, removed when we are done (whatever happens)."""
    folder = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-"))  # mkdtemp makes it mode 0700
    fd = None
    try:
        os.chmod(folder, 0o700)
        fd = os.open(folder / ALIVE, os.O_CREAT | os.O_RDWR | os.O_CLOEXEC, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # before the lock goes, so no sweeper races us for it
        if fd is not None:
            os.close(fd)


@contextmanager
def private_tempdir(prefix: str = INGEST_PREFIX):
    """Every temporary file or folder made inside (tempfile's default dir) goes into one private locked folder, so
    the copies of an input that an ingest killed with -9 leaves behind are removed by the next command."""
    with private_folder(prefix) as folder:
        previous, tempfile.tempdir = tempfile.tempdir, str(folder)
        try:
            yield folder
        finally:
            tempfile.tempdir = previous


def remove_stale(prefixes: tuple[str, ...] = (PUBLISH_PREFIX, INGEST_PREFIX, COPY_PREFIX)) -> list[Path]:
    """Remove this user's scratch folders whose process is gone; returns what was removed."""
    removed: list[Path] = []
    for prefix in prefixes:
        try:
            candidates = list(Path(tempfile.gettempdir()).glob(prefix + "*"))
        except OSError:
            continue
        for folder in candidates:
            if _stale(folder, prefix):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed


def _stale(folder: Path, prefix: str) -> bool:
    try:
        info = folder.lstat()
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
        return False  # not a folder of ours (a link, or another user's): leave it
    try:
        fd = os.open(folder / ALIVE, os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        # made by an older borderlens, or so new that its lock is not there yet: go by the process id
        pid = folder.name[len(prefix):].split("-")[0]
        return pid.isdigit() and not _alive(int(pid))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # its process still holds the lock
    finally:
        os.close(fd)
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def release_lock(out: Path):
    """Hold the lock on release folder out (the file .<name>.lock beside it) for one publish; a second publish
    into the same folder fails at once in one line instead of racing the first. The lock file is never removed
    (removing it would let two publishes each lock a different file)."""
    path = out.parent / f".{out.name}.lock"
    try:
        fd = os.open(path, os.O_CREAT | os.O_RDWR | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise UserError(f"cannot write in the folder for the release {out.parent}: "
                        f"{exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            raise UserError(f"another publish{f' (process {holder})' if holder.isdigit() else ''} is writing "
                            f"{out}: run this one again when it has finished") from None
        try:  # who holds it, for the message of a second publish (a full disk may refuse even this)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        except OSError:
            pass
        yield
    finally:
        os.close(fd)  # closing the file releases the lock
