"""Where DuckDB's COPY writes a large extract: a pipe that a thread drains into the file, hashing it on the way.

The thread writes whole blocks past the page cache (O_DIRECT) and computes the file's SHA-256 as it goes, so
digests.json need not read the gigabytes back. Measured on a 10M-figure release (docs/performance.md): the
crossings' 8.9 GB GeoJSON 47 -> 23 s and their 3.1 GB CSV 25 -> 11 s, the time having been the kernel's, filling the
page cache with pages nobody reads soon. Where there is no pipe to make (not POSIX) or the file is not a plain file
(/dev/stdout), COPY writes the file itself and nothing is hashed.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import mmap
import os
import shutil
import stat
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from data_pipeline.publish.scratch import COPY_PREFIX, private_folder

BLOCK = 8 << 20         # bytes a write: a multiple of any device's block size, as O_DIRECT needs
_F_SETPIPE_SZ = 1031    # fcntl.F_SETPIPE_SZ (Linux; in the fcntl module from Python 3.10 on some builds only)
_PIPE_BYTES = 1 << 20   # the most an unprivileged process may ask for (/proc/sys/fs/pipe-max-size)


@dataclass
class Sink:
    """target: the path to give COPY. After the block: bytes and sha256 of the whole file, when it was hashed."""
    target: Path
    bytes: int = 0
    sha256: str | None = None


@contextmanager
def copy_sink(out: Path, before: bytes = b"", after: bytes = b"") -> Iterator[Sink]:
    """out = before + what COPY writes to the sink's target + after. On an error in the block or in writing out,
    the error is raised and out is left partial (the caller's exports.replacing removes it)."""
    if not hasattr(os, "mkfifo") or (out.exists() and not stat.S_ISREG(out.stat().st_mode)):
        yield from _without_pipe(out, before, after)
        return
    # a private, locked folder: one that a killed process leaves is removed by the next command (scratch.remove_stale)
    with private_folder(COPY_PREFIX) as folder:
        fifo = folder / "copy"
        os.mkfifo(fifo, 0o600)
        # the read end first and without waiting; a writer of our own keeps reads waiting (not at end of file)
        # until COPY has opened the pipe, written and closed it
        reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        keeper = os.open(fifo, os.O_WRONLY)
        os.set_blocking(reader, True)
        try:
            fcntl.fcntl(reader, _F_SETPIPE_SZ, _PIPE_BYTES)
        except OSError:
            pass
        sink = Sink(fifo)
        drain = _Drain(reader, out, before, after, sink)
        thread = threading.Thread(target=drain.run, name="borderlens-copy-sink", daemon=True)
        thread.start()
        try:
            yield sink
        except BaseException:
            drain.stop = True
            os.write(keeper, b"\0")   # wakes the thread if COPY failed before writing anything
            raise
        finally:
            os.close(keeper)
            thread.join()
            os.close(reader)
        if drain.error is not None:
            raise drain.error
        sink.target = out


def _without_pipe(out: Path, before: bytes, after: bytes) -> Iterator[Sink]:
    """COPY writes out itself; with bytes before or after, a body file first, then out copied together from it."""
    if not before and not after:
        yield Sink(out)
        return
    body = out.with_name(out.name + ".body")
    try:
        yield Sink(body)
        with open(out, "wb") as handle, open(body, "rb") as source:
            handle.write(before)
            shutil.copyfileobj(source, handle, 1 << 20)
            handle.write(after)
    finally:
        remove_quietly(body)


def remove_quietly(path: Path) -> None:
    """Remove a file if it is there; on a read-only disk even a missing file's unlink fails (EROFS), and that
    must not hide the error that brought us here."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


class _Drain:
    """Reads the pipe into one aligned buffer of BLOCK bytes, hashes and writes each full buffer, then the rest.
    After an error (a full disk) it goes on reading, so that COPY never waits on a pipe nobody reads."""

    def __init__(self, reader: int, out: Path, before: bytes, after: bytes, sink: Sink):
        self.reader, self.out, self.before, self.after, self.sink = reader, out, before, after, sink
        self.error: BaseException | None = None
        self.stop = False
        self.fill, self.written, self.digest = 0, 0, hashlib.sha256()   # bytes in the buffer, bytes written, their hash
        self.fd, self.direct = -1, False   # the file, not opened yet; whether it is written past the page cache

    def run(self) -> None:
        buffer = mmap.mmap(-1, BLOCK)   # page-aligned, as O_DIRECT needs; made in the thread that fills it
        self.view = memoryview(buffer)
        try:
            self.fd, self.direct = _open(self.out)
            self._put(self.before)
            while not self.stop:
                n = os.readv(self.reader, [self.view[self.fill:]])
                if not n:
                    break
                self.fill += n
                if self.fill == BLOCK:
                    self._flush()
            if self.stop:
                return
            self._put(self.after)
            if self.fill:
                if self.direct:   # the last part is not a whole number of blocks
                    fcntl.fcntl(self.fd, fcntl.F_SETFL, fcntl.fcntl(self.fd, fcntl.F_GETFL) & ~os.O_DIRECT)
                    self.direct = False
                self._flush()
            self.sink.bytes, self.sink.sha256 = self.written, self.digest.hexdigest()
        except BaseException as exc:   # noqa: BLE001 - raised again by copy_sink, in the caller's thread
            # without its traceback, whose frames hold slices of the buffer (then it could not be closed)
            self.error = exc.with_traceback(None)
            del exc
            while not self.stop and os.readv(self.reader, [self.view]):
                pass
        finally:
            if self.fd >= 0:
                os.close(self.fd)
            self.view.release()
            try:
                buffer.close()
            except BufferError:   # a slice still held somewhere: the buffer goes when that does
                pass

    def _put(self, data: bytes) -> None:
        """Bytes of our own (the file's opening or end), copied into the buffer."""
        while data:
            part = data[:BLOCK - self.fill]
            self.view[self.fill:self.fill + len(part)] = part
            self.fill += len(part)
            data = data[len(part):]
            if self.fill == BLOCK:
                self._flush()

    def _flush(self) -> None:
        data = self.view[:self.fill]
        self.digest.update(data)
        self.direct = _write_all(self.fd, data, self.direct)
        self.written += self.fill
        self.fill = 0


def _open(out: Path) -> tuple[int, bool]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    if hasattr(os, "O_DIRECT"):
        try:
            return os.open(out, flags | os.O_DIRECT, 0o644), True
        except OSError as exc:
            if exc.errno != errno.EINVAL:   # tmpfs and some others have no direct writes
                raise
    return os.open(out, flags, 0o644), False


def _write_all(fd: int, data: memoryview, direct: bool) -> bool:
    """Writes all of data; returns whether direct writes go on (a file system may refuse one: then not)."""
    done = 0
    while done < len(data):
        try:
            done += os.write(fd, data[done:])
        except OSError as exc:
            if not direct or exc.errno != errno.EINVAL:
                raise
            fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_DIRECT)
            direct = False
    return direct
