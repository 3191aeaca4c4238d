"""`borderlens verify --release R`: a whole release passes (exit 0); each kind of damage after publish is told
in one line (exit 1): missing, truncated, altered or unexpected files, a garbage release.json, a database edited
with digests.json forged to match; no folder is the user's mistake (exit 2, one line, no traceback)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from support import REPO, run_cli


@pytest.fixture
def release(tmp_path: Path, release_secret_inputs) -> Path:
    folder = tmp_path / "release"
    shutil.copytree(release_secret_inputs.release, folder)
    return folder


def _verify(folder: Path, *extra) -> tuple[int, list[str]]:
    result = run_cli("verify", "--release", folder, *extra, check=False)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, [line.removeprefix(f"{folder}: ") for line in result.stdout.splitlines()]


def test_a_whole_release_passes(release: Path):
    listed = json.loads((release / "digests.json").read_text(encoding="utf-8"))
    on_disk = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()} - {"digests.json"}
    assert set(listed["files"]) == on_disk and "release.json" in on_disk and "borderlens.duckdb" in on_disk
    for name, entry in listed["files"].items():
        data = (release / name).read_bytes()
        assert entry == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}, name
    assert listed["release_id"] == json.loads((release / "release.json").read_text())["release_id"]
    code, lines = _verify(release)
    assert code == 0 and len(lines) == 1 and lines[0].startswith("whole"), lines
    report = json.loads(run_cli("verify", "--release", release, "--json").stdout)
    assert report == {"release": str(release), "whole": True, "problems": []}


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def test_each_damage_is_one_line(release: Path):
    db = release / "borderlens.duckdb"
    size = db.stat().st_size
    with open(db, "r+b") as handle:
        handle.truncate(size // 2)
    (release / "extracts" / "crossings.csv").unlink()
    _flip(release / "extracts" / "exercise_notices.parquet")  # same size: only the SHA-256 tells
    with open(release / "feed.atom", "ab") as handle:
        handle.write(b"<!-- appended -->")
    (release / "extracts" / "notes.txt").write_text("left behind by a copy\n")
    code, lines = _verify(release)
    assert code == 1
    assert lines == [
        f"truncated: borderlens.duckdb ({size // 2:,} of {size:,} bytes)",
        "missing file: extracts/crossings.csv",
        "altered: extracts/exercise_notices.parquet (its SHA-256 differs from digests.json)",
        lines[3],
        "unexpected file: extracts/notes.txt",
    ]
    assert lines[3].startswith("altered: feed.atom (") and lines[3].endswith(" published)")
    report = json.loads(run_cli("verify", "--release", release, "--json", check=False).stdout)
    assert report["whole"] is False and report["problems"] == lines


def test_garbage_release_json_and_missing_digests(release: Path):
    (release / "release.json").write_bytes(b"\x00garbage")
    code, lines = _verify(release)
    assert code == 1 and lines == ["truncated: release.json (8 of " + lines[0].split(" of ", 1)[1]], lines
    (release / "digests.json").unlink()
    code, lines = _verify(release)
    assert code == 1 and lines[0].startswith("unreadable: release.json (") and lines[1].startswith(
        "missing file: digests.json (nothing to check the files against"), lines


def test_an_edited_database_with_forged_digests_is_caught(release: Path):
    db = release / "borderlens.duckdb"
    con = duckdb.connect(str(db))
    try:
        before = con.execute("select count(*) from crossings").fetchall()[0][0]
        con.execute("delete from crossings where rowid = (select min(rowid) from crossings)")
        con.execute("update release_info set value = 'forged' where key = 'release_id'")
    finally:
        con.close()
    digests = json.loads((release / "digests.json").read_text(encoding="utf-8"))
    data = db.read_bytes()
    digests["files"]["borderlens.duckdb"] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    (release / "digests.json").write_text(json.dumps(digests), encoding="utf-8")
    code, lines = _verify(release)
    release_id = json.loads((release / "release.json").read_text())["release_id"]
    assert code == 1 and lines == [
        f"altered: borderlens.duckdb (its release_id forged, release.json says {release_id})",
        f"altered: borderlens.duckdb (crossings has {before - 1:,} rows, release.json says {before:,})"], lines


def test_no_such_folder_is_a_user_error(tmp_path: Path):
    result = run_cli("verify", "--release", tmp_path / "nowhere", check=False)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"borderlens: release folder not found: {tmp_path / 'nowhere'}\n"


def test_the_apps_check_sees_a_change_after_its_first_look(release: Path):
    from data_pipeline.publish.verify import release_problems

    assert release_problems(release) == []
    assert release_problems(release) == []  # the second look reuses the SHA-256 of the first
    _flip(release / "extracts" / "infrastructure_projects.csv")  # same size: a new modification time
    assert release_problems(release) == [
        "altered: extracts/infrastructure_projects.csv (its SHA-256 differs from digests.json)"]
    (release / "extracts" / "infrastructure_projects.csv").unlink()
    assert release_problems(release) == ["missing file: extracts/infrastructure_projects.csv"]


def test_digests_naming_a_file_outside_the_release_are_refused(release: Path):
    digests = json.loads((release / "digests.json").read_text(encoding="utf-8"))
    digests["files"]["../../etc/passwd"] = {"bytes": 1, "sha256": "0" * 64}
    (release / "digests.json").write_text(json.dumps(digests), encoding="utf-8")
    code, lines = _verify(release)
    assert code == 1 and lines == ["unreadable: digests.json (a path outside the release: ../../etc/passwd)"], lines


CHECK_IN_A_NEW_PROCESS = "import json, sys; from data_pipeline.publish.verify import release_problems; " \
                         "print(json.dumps(release_problems(sys.argv[1])))"


def _problems_seen_by_a_new_server(folder: Path) -> list[str]:
    """release_problems in a fresh process, as a server started later or a replica runs it (no in-process cache)."""
    result = subprocess.run([sys.executable, "-c", CHECK_IN_A_NEW_PROCESS, str(folder)], capture_output=True,
                            text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_publish_records_the_files_it_hashed(release_secret_inputs):
    """A server started on a new release reads no byte of it again: publish left the record of the SHA-256 it took
    of each file, as the file is (size, modification time, inode)."""
    from data_pipeline.publish.verify import stamp_path

    folder = release_secret_inputs.release
    record = json.loads(stamp_path(folder).read_text(encoding="utf-8"))
    digests = json.loads((folder / "digests.json").read_text(encoding="utf-8"))
    assert record["release_id"] == digests["release_id"] and set(record["files"]) == set(digests["files"])
    for name, (size, mtime_ns, inode, sha256) in record["files"].items():
        st = (folder / name).stat()
        assert [size, mtime_ns, inode, sha256] == [st.st_size, st.st_mtime_ns, st.st_ino, digests["files"][name]["sha256"]]


def test_a_new_process_trusts_the_record_only_for_files_as_they_were(release: Path):
    from data_pipeline.publish.verify import stamp_path

    assert not stamp_path(release).exists()   # a copy: the record stays beside the original
    assert _problems_seen_by_a_new_server(release) == []   # hashed every file, then recorded them
    assert json.loads(stamp_path(release).read_text(encoding="utf-8"))["release_id"] == \
        json.loads((release / "release.json").read_text(encoding="utf-8"))["release_id"]
    target = release / "extracts" / "infrastructure_projects.csv"
    before = target.stat()
    _flip(target)   # same size and inode; the modification time put back: nothing a stat can see
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert _problems_seen_by_a_new_server(release) == []   # the record's limit, as the in-process cache's
    assert _verify(release)[0] == 1   # `borderlens verify` reads every byte, record or not
    os.utime(target)   # a new modification time: the record no longer vouches for the file
    altered = ["altered: extracts/infrastructure_projects.csv (its SHA-256 differs from digests.json)"]
    assert _problems_seen_by_a_new_server(release) == altered
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    stamp_path(release).write_text("{not json", encoding="utf-8")   # a record that cannot be read vouches for nothing
    assert _problems_seen_by_a_new_server(release) == altered


SIZES = [0, 1, 4095, 4096, 4097, (8 << 20) - 1, 8 << 20, (8 << 20) + 4097]   # around the block and the read buffer


@pytest.mark.parametrize("size", SIZES)
def test_a_file_digest_read_past_the_page_cache_is_its_sha256(tmp_path, size):
    from data_pipeline.publish.verify import file_digest

    data = os.urandom(size)
    (tmp_path / "file").write_bytes(data)
    assert file_digest(tmp_path / "file") == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("refused", ["open", "after the first read"])
def test_a_file_digest_goes_through_the_cache_where_direct_reads_are_refused(tmp_path, monkeypatch, size, refused):
    # the file system's refusal (EINVAL) played by the os module: at open (a file system without direct reads), or
    # on the read after a short one (an offset no longer aligned)
    import errno
    import fcntl

    from data_pipeline.publish import verify

    real_open, real_readv, reads = os.open, os.readv, []

    def open_refusing(path, flags, *args):
        if refused == "open" and flags & os.O_DIRECT:
            raise OSError(errno.EINVAL, "Invalid argument")
        return real_open(path, flags, *args)

    def readv_refusing(fd, buffers):
        reads.append(bool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_DIRECT))
        if refused != "open" and len(reads) == 2 and reads[-1]:
            raise OSError(errno.EINVAL, "Invalid argument")
        return real_readv(fd, buffers)

    monkeypatch.setattr(verify.os, "open", open_refusing)
    monkeypatch.setattr(verify.os, "readv", readv_refusing)
    data = os.urandom(size)
    (tmp_path / "file").write_bytes(data)
    assert verify.file_digest(tmp_path / "file") == hashlib.sha256(data).hexdigest()
    if refused != "open" and size:   # the second read was refused; the rest came through the cache
        assert reads[:2] == [True, True] and not any(reads[2:]), reads
