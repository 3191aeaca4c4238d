"""Compressed inputs as publishers ship them: a `.gz` file, or a `.zip` archive of one or more data files.

Each data file inside is unpacked into a new folder in the ingest's private scratch folder (scratch.py: a copy that a
kill -9 leaves behind is removed by the next command) and ingested as its own source, named ARCHIVE!MEMBER, with the
member's own line numbers (the unpacked file's physical lines). DuckDB could read a .gz CSV itself
(compression='gzip'), but every check made before the read (byte-order mark, header sniff, line ends, the hash and
the newline count behind exact line numbers) reads plain bytes, so a plain copy is needed anyway; unpacking is cheap
beside the read (400,000 BTS rows, 46 MB: about 0.1 s), and DuckDB then reads the copy in parallel, which it cannot
do inside one gzip stream. Measured on a shared 2-core machine, unpack + read was within noise of DuckDB's gzip read.
The source's sha256 and size are the unpacked file's, so one table shipped plain, gzipped or zipped is one source
(the second ingest says `unchanged`), while its path names the file as shipped.

Nothing is ever written under a member's own name, so a member called `../x` cannot write outside the scratch folder;
such a name, a corrupt or cut-short file, an encrypted member and a member that would unpack past the limits (a
"zip bomb") are refused in one line, before any of the archive is loaded where the archive's directory tells.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from data_pipeline.errors import UserError

# what a folder or an archive contributes (a workbook is read by sheets.py)
DATA_SUFFIXES = {".csv", ".json", ".geojson", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods"}
GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # an archive; an empty archive
# A spreadsheet is a zip archive too: named for ingest, it is read as a workbook, not unpacked.
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".ods"}
SPREADSHEET_MEMBERS = {"[Content_Types].xml", "mimetype"}
RATIO_FROM = 100 << 20  # past this many bytes unpacked, a member that expands ...
MAX_RATIO = 500         # ... more than this many times is refused: real tables compress 5-50 times, bombs 1,000
LIMIT_VARIABLE = "BORDERLENS_UNPACK_LIMIT_MB"  # the most one compressed file may unpack to, in MiB
DEFAULT_LIMIT_MB = 16 * 1024
CHUNK = 1 << 20


@dataclass(frozen=True)
class InputFile:
    """One data file to ingest: the bytes to read, and what provenance and messages call it."""
    path: Path          # the file itself, or its unpacked copy in the scratch folder
    shipped: Path       # the file as the operator named it (its NAME.meta.toml applies to what is inside)
    member: str | None = None  # the archive member's name, for a zip

    @property
    def name(self) -> str:
        """The path as given, or ARCHIVE!MEMBER for a member of a zip archive."""
        return f"{self.shipped}!{self.member}" if self.member else str(self.shipped)

    @property
    def file_name(self) -> str:
        return f"{self.shipped.name}!{self.member}" if self.member else self.shipped.name

    def told(self, exc: UserError) -> UserError:
        """exc with the unpacked copy's path replaced by the name the operator knows (ARCHIVE!MEMBER)."""
        if self.path == self.shipped:
            return exc
        return UserError(str(exc).replace(str(self.path), self.name))


def unpack_limit() -> int:
    """The most bytes one compressed file may unpack to: BORDERLENS_UNPACK_LIMIT_MB, else 16 GiB."""
    text = os.environ.get(LIMIT_VARIABLE, "").strip()
    if not text:
        return DEFAULT_LIMIT_MB << 20
    if not text.isdigit() or int(text) == 0:
        raise UserError(f"{LIMIT_VARIABLE}={text!r}: give a whole number of MiB, such as 16384")
    return int(text) << 20


def is_data_file(path: Path) -> bool:
    """Whether a folder contributes this file: a data suffix, or one under .gz (x.csv.gz), or a .zip archive."""
    suffixes = [s.lower() for s in path.suffixes]
    return bool(suffixes) and (suffixes[-1] in DATA_SUFFIXES | {".zip"} or
                               suffixes[-1] == ".gz" and len(suffixes) > 1 and suffixes[-2] in DATA_SUFFIXES)


def expand_paths(paths: list[str]) -> list[Path]:
    """Files named, and the data files inside folders named (sorted, README and profiles left out; compressed ones
    such as x.csv.gz and .zip archives in)."""
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.is_file() and is_data_file(p))
        elif path.is_file():
            files.append(path)
        else:
            raise UserError(f"file not found: {name}")
    if not files:
        raise UserError(f"no data files in {', '.join(paths)}")
    return files


def inputs(path: Path, ahead: UnpackAhead | None = None) -> Iterator[InputFile]:
    """The data files in one named file: itself, or what it unpacks to, each copy removed once the next is asked for
    (or when the ingest ends, whatever happens). ahead: a gzip file already being unpacked by a child process."""
    with open(path, "rb") as handle:
        start = handle.read(4)
    if start.startswith(GZIP_MAGIC):
        with _scratch_copy(path, "") as copy:
            if ahead is None or not ahead.finished_into(path, copy):
                _gunzip(path, copy)
            yield InputFile(copy, path)
    elif start.startswith(ZIP_MAGICS) and not _spreadsheet(path):
        yield from _zip_members(path)
    else:
        yield InputFile(path, path)


def _gunzip(path: Path, copy: Path, before_chunk: Callable[[], None] = lambda: None) -> None:
    with open(path, "rb") as raw, gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
        _copy(path, unzipped.read, copy, lambda: raw.tell(), "the gzip data", before_chunk)


class UnpackAhead:
    """A gzip input unpacked by a child process while this one checks the profiles and opens the database (about
    0.15 s of a 400,000-row file; a thread would wait for the GIL behind that Python work between zlib's calls). The
    child runs this module's _gunzip, so its checks and messages are those of an unpack here; it stops if this
    process goes away. started(path) gives None for a file that is not gzip."""

    def __init__(self, path: Path, folder: Path, process: subprocess.Popen):
        self.path, self.folder, self.process = path, folder, process
        self.taken = False  # its copy given to an ingest of path (a file named twice is unpacked again)

    @classmethod
    def started(cls, path: Path) -> UnpackAhead | None:
        try:
            with open(path, "rb") as handle:
                if not handle.read(2).startswith(GZIP_MAGIC):
                    return None
        except OSError:
            return None  # said where the file is read
        folder = Path(tempfile.mkdtemp(prefix="borderlens-ahead-"))
        try:
            process = subprocess.Popen(child_command(path, folder / "unpacked", os.getpid()),
                                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                       text=True)
        except OSError:  # no interpreter to start (an embedded Python): the ingest unpacks the file itself
            shutil.rmtree(folder, ignore_errors=True)
            return None
        return cls(path, folder, process)

    def finished_into(self, path: Path, copy: Path) -> bool:
        """For the first ingest of path: wait for the child and move its copy to copy. False for another file, a
        second ingest of this one, or a child that failed for a reason of its own (the caller unpacks here); a
        refusal of the file (corrupt, cut short, past the limit) is raised as here."""
        if path != self.path or self.taken:
            return False
        self.taken = True
        _out, err = self.process.communicate()
        if self.process.returncode == 2 and err.strip():
            raise UserError(err.strip().splitlines()[-1])
        if self.process.returncode != 0:
            return False
        os.replace(self.folder / "unpacked", copy)
        return True

    def close(self) -> None:
        if self.process.returncode is None:  # not waited for: the ingest ended before it needed the copy
            self.process.kill()
            self.process.communicate()
        shutil.rmtree(self.folder, ignore_errors=True)


def child_command(source: Path, copy: Path, parent: int) -> list[str]:
    """The command of UnpackAhead's child: a bare interpreter (-I -S: no site packages, nothing from the
    environment) that imports this module from the folder holding the package and runs _child."""
    root = str(Path(__file__).resolve().parents[2])
    code = f"import sys; sys.path.insert(0, {root!r}); from data_pipeline.ingest.compressed import _child; _child()"
    return [sys.executable, "-I", "-S", "-c", code, str(source), str(copy), str(parent)]


def _child() -> None:
    """python -c ... SOURCE COPY PARENT_PID: UnpackAhead's child. Exit 2 with the one line on stderr for a file it
    refuses."""
    source, copy, parent = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])

    def parent_still_there() -> None:
        if os.getppid() != parent:  # killed: nobody will read the copy (the next command removes the folder)
            sys.exit(1)

    try:
        _gunzip(source, copy, parent_still_there)
    except UserError as exc:
        sys.stderr.write(f"{exc}\n")
        sys.exit(2)


def _spreadsheet(path: Path) -> bool:
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        return True
    try:
        with zipfile.ZipFile(path) as archive:
            return any(name in SPREADSHEET_MEMBERS for name in archive.namelist())
    except (zipfile.BadZipFile, EOFError, ValueError):
        return False  # the archive check says what is wrong with it


def _zip_members(path: Path) -> Iterator[InputFile]:
    """Each data member of a zip archive, unpacked in turn, once the whole directory has been checked."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise UserError(f"{path}: a corrupt zip archive ({exc}); nothing of it was loaded") from None
    with archive:
        members = _checked_members(path, archive)
        for info in members:
            with _scratch_copy(path, info.filename) as copy:
                try:
                    with archive.open(info) as member:
                        _copy(path, member.read, copy, lambda: info.compress_size, f"member {info.filename!r}")
                except NotImplementedError as exc:  # a compression method Python cannot unpack
                    raise UserError(f"{path}: member {info.filename!r} cannot be unpacked ({exc})") from None
                yield InputFile(copy, path, info.filename)


def _checked_members(path: Path, archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The data members of the archive, after checking every member's name, kind and declared size."""
    limit = unpack_limit()
    data: list[zipfile.ZipInfo] = []
    for info in archive.infolist():
        name = info.filename
        if _unsafe_name(name):
            raise UserError(f"{path}: member {name!r} names a place outside the archive (an absolute path or ..); "
                            f"refusing the archive, nothing of it was loaded")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UserError(f"{path}: member {name!r} is a symbolic link; refusing the archive, nothing of it was "
                            f"loaded")
        if info.is_dir() or not _data_member(name):
            continue
        if info.flag_bits & 0x1:
            raise UserError(f"{path}: member {name!r} is encrypted; unpack it with its password and ingest the file")
        _check_size(path, f"member {name!r}", info.file_size, info.compress_size, limit)
        data.append(info)
    if not data:
        listed = ", ".join(repr(n) for n in archive.namelist()[:5]) or "none"
        raise UserError(f"{path}: no data files in the zip archive (.csv, .tsv, .json, .geojson, .xlsx, .xls, .ods); members: {listed}")
    return data


def _unsafe_name(name: str) -> bool:
    parts = re.split(r"[\\/]", name)
    return name.startswith(("/", "\\")) or ".." in parts or bool(re.match(r"[A-Za-z]:", name)) or "\x00" in name


def _data_member(name: str) -> bool:
    """A member with a data suffix, not the resource-fork shadow (__MACOSX/, ._x.csv) a Mac adds to archives."""
    base = re.split(r"[\\/]", name)[-1]
    return not name.startswith("__MACOSX/") and not base.startswith("._") and Path(base).suffix.lower() in DATA_SUFFIXES


def _check_size(path: Path, what: str, unpacked: int, packed: int, limit: int) -> None:
    """Refuse a member whose unpacked size passes the limit, or that expands like a bomb rather than a table."""
    if unpacked > limit:
        raise UserError(f"{path}: {what} unpacks to more than {limit >> 20:,} MiB (the limit, set by "
                        f"{LIMIT_VARIABLE}); nothing of it was loaded")
    if unpacked > RATIO_FROM and unpacked > MAX_RATIO * max(packed, 1):
        raise UserError(f"{path}: {what} expands over {MAX_RATIO} times ({packed:,} bytes to more than "
                        f"{unpacked:,}), as a decompression bomb does and a table does not; nothing of it was "
                        f"loaded")


def _copy(path: Path, read: Callable[[int], bytes], out: Path, packed: Callable[[], int], what: str,
          before_chunk: Callable[[], None] = lambda: None) -> None:
    """Stream the unpacked bytes into out, checking the size as they come (declared sizes can lie)."""
    limit, total = unpack_limit(), 0
    with open(out, "wb") as dst:
        while True:
            before_chunk()
            try:
                chunk = read(CHUNK)
            except EOFError:
                raise UserError(f"{path}: {what} is cut short (it ends before its end marker: an "
                                f"interrupted download?); nothing of it was loaded") from None
            except (zlib.error, zipfile.BadZipFile, gzip.BadGzipFile, ValueError) as exc:
                raise UserError(f"{path}: {what} is corrupt ({exc}); nothing of it was loaded") from None
            if not chunk:
                return
            total += len(chunk)
            _check_size(path, what, total, packed(), limit)
            dst.write(chunk)


@contextmanager
def _scratch_copy(path: Path, member: str) -> Iterator[Path]:
    """The path for one unpacked copy, in a new folder of the scratch folder, removed on leaving whatever happens.
    The copy keeps only the data suffix of the name inside (x.csv.gz, or the member's), which tells its format."""
    inner = re.split(r"[\\/]", member)[-1] if member else path.name[:-3] if path.suffix.lower() == ".gz" else ""
    suffix = Path(inner).suffix.lower()
    folder = Path(tempfile.mkdtemp(prefix="borderlens-unpacked-"))
    try:
        yield folder / ("unpacked" + (suffix if suffix in DATA_SUFFIXES else ".csv"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
