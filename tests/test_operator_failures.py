"""What the system refuses ends in one line and exit code 2, and leaves no half-written file: an unreadable input
file, a read-only folder for a release or an export, a full disk during a publish or an export (real tmpfs
mounts of a few MB when we are root; permissions otherwise)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from support import BORDERLENS, REPO, SAMPLE, one_line_error, run_cli, write

ROOT = os.geteuid() == 0
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
BTS_2019 = SAMPLE / "crossings" / "bts_border_crossing_entry_data_2019_insight_sample.csv"


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@contextmanager
def small_disk(folder: Path, size: str):
    """A real file system of the given size at folder (tmpfs); root only."""
    if not ROOT:
        pytest.skip("a full disk needs a tmpfs mount, which needs root")
    folder.mkdir(exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


@contextmanager
def read_only(folder: Path):
    """folder (already filled) made read-only for this process: remounted read-only when it is our tmpfs (root
    writes through permissions), else by its permissions."""
    if ROOT:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        try:
            yield folder
        finally:
            subprocess.run(["mount", "-o", "remount,rw", str(folder)], check=True)
    else:
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)


@contextmanager
def a_folder(tmp_path: Path, name: str = "disk"):
    """A folder that read_only() can make read-only: a tmpfs mount as root, a plain folder otherwise."""
    folder = tmp_path / name
    if ROOT:
        with small_disk(folder, "64m"):
            yield folder
    else:
        folder.mkdir()
        yield folder


def test_unreadable_input_file_is_one_line(tmp_path: Path):
    shared = Path(tempfile.mkdtemp(prefix="bl-unreadable-", dir="/tmp"))  # other users can enter it
    try:
        shared.chmod(0o777)
        data = shared / "crossings.csv"
        data.write_bytes(BTS_2019.read_bytes())
        data.chmod(0)
        prefix = NOBODY if ROOT else []  # root reads any file: run the command as nobody
        probe = subprocess.run([*prefix, "python3", "-c", f"open({str(data)!r}, 'rb')"], capture_output=True)
        if probe.returncode == 0:
            pytest.skip("cannot make a file unreadable here")
        result = subprocess.run([*prefix, BORDERLENS, "ingest", str(data), "--db", str(shared / "w.duckdb")],
                                capture_output=True, text=True, cwd=REPO, env={**os.environ, "HOME": str(shared)})
        assert one_line_error(result) == f"borderlens: cannot read {data}: Permission denied"
        assert not (shared / "w.duckdb").exists(), "the database was created before the input was read"
    finally:
        (shared / "crossings.csv").chmod(0o600)
        subprocess.run(["rm", "-rf", str(shared)], check=True)


def test_read_only_folder_for_the_release(tmp_path: Path, release_secret_inputs):
    s = release_secret_inputs
    with a_folder(tmp_path) as disk:
        release = disk / "release"
        run_cli("publish", "--db", s.work_db, "--policy", s.policy, "--out", release, env=s.env)
        before = digest(disk)
        with read_only(disk):
            first = run_cli("publish", "--db", s.work_db, "--policy", s.policy, "--out", disk / "new", check=False,
                            env=s.env)
            again = run_cli("publish", "--db", s.work_db, "--policy", s.policy, "--out", release, check=False,
                            env=s.env)
        reason = "Read-only file system" if ROOT else "Permission denied"
        assert one_line_error(first) == f"borderlens: cannot write in the folder for the release {disk}: {reason}"
        assert one_line_error(again) == f"borderlens: cannot write in the folder for the release {disk}: {reason}"
        assert digest(disk) == before


@pytest.mark.parametrize("fmt, extra", [("csv", []), ("csv", ["--excel"]), ("parquet", []), ("geojson", [])])
def test_unwritable_export_path(tmp_path: Path, release_secret_inputs, fmt, extra):
    s = release_secret_inputs
    with a_folder(tmp_path) as disk:
        write(disk / "keep.txt", "mine")
        with read_only(disk):
            result = run_cli("export", "crossings", "--release", s.release, "--format", fmt, "--out",
                             disk / f"x.{fmt}", *extra, check=False)
        reason = "Read-only file system" if ROOT else "Permission denied"
        assert one_line_error(result) == f"borderlens: cannot write {disk / f'x.{fmt}'}: {reason}"
        assert sorted(p.name for p in disk.iterdir()) == ["keep.txt"]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "geojson"])
def test_export_to_a_full_device(release_secret_inputs, fmt):
    result = run_cli("export", "borders", "--release", release_secret_inputs.release, "--format", fmt,
                     "--out", "/dev/full", check=False)
    assert one_line_error(result) == "borderlens: cannot write /dev/full: No space left on device"


def test_export_on_a_full_disk_keeps_the_older_file(tmp_path: Path, release_secret_inputs):
    with small_disk(tmp_path / "disk", "256k") as disk:
        out = write(disk / "borders.geojson", "the export of last week")
        result = run_cli("export", "borders", "--release", release_secret_inputs.release, "--format", "geojson",
                         "--out", out, check=False)
        assert one_line_error(result) == f"borderlens: cannot write {out}: No space left on device"
        assert sorted(p.name for p in disk.iterdir()) == ["borders.geojson"]
        assert out.read_text() == "the export of last week"


def test_full_disk_during_publish_leaves_the_release_whole(tmp_path: Path, release_secret_inputs):
    """The disk holds the release and about half of a second one: the next publish runs out of space mid-way."""
    s = release_secret_inputs
    size = sum(p.stat().st_size for p in s.release.rglob("*") if p.is_file())
    other = write(tmp_path / "other.toml", s.policy.read_text().replace("k = 500000", "k = 400000"))
    with small_disk(tmp_path / "disk", str(int(size * 1.6))) as disk:
        release = disk / "release"
        run_cli("publish", "--db", s.work_db, "--policy", s.policy, "--out", release, env=s.env)
        before = digest(release)
        result = run_cli("publish", "--db", s.work_db, "--policy", other, "--out", release, check=False, env=s.env)
        line = one_line_error(result)
        assert line.startswith("borderlens: cannot publish: No space left on device: ") and \
            line.endswith(f"(the release at {release} is unchanged)"), line
        assert digest(release) == before
        # beside the release: its lock and the record of its files' SHA-256 (still the first release's)
        assert sorted(p.name for p in disk.iterdir()) == [".release.lock", ".release.verified.json", "release"], \
            "a half release was left"
        assert json.loads((disk / ".release.verified.json").read_text())["release_id"] == \
            json.loads((release / "release.json").read_text())["release_id"]


def test_full_disk_on_a_first_publish_leaves_nothing(tmp_path: Path, release_secret_inputs):
    s = release_secret_inputs
    with small_disk(tmp_path / "disk", "1m") as disk:
        result = run_cli("publish", "--db", s.work_db, "--policy", s.policy, "--out", disk / "release",
                         check=False, env=s.env)
        line = one_line_error(result)
        assert "No space left on device" in line and f"(the release at {disk / 'release'} was not written)" in line
        assert sorted(p.name for p in disk.iterdir()) == [".release.lock"]


def test_full_temporary_folder_during_publish(tmp_path: Path, release_secret_inputs):
    s = release_secret_inputs
    with small_disk(tmp_path / "temp", "1m") as temp:
        result = run_cli("publish", "--db", s.work_db, "--policy", s.policy, "--out", tmp_path / "release",
                         check=False, env={**s.env, "TMPDIR": str(temp)})
        line = one_line_error(result)
        assert line.startswith(f"borderlens: cannot publish: No space left on device: {temp}/borderlens-publish-")
        assert not list(temp.iterdir()), "the scratch copy (unredacted) was left in the temporary folder"
        assert not (tmp_path / "release").exists()


def test_full_disk_during_ingest_is_one_line(tmp_path: Path):
    with small_disk(tmp_path / "disk", "2m") as disk:
        result = run_cli("ingest", SAMPLE / "crossings", "--db", disk / "w.duckdb", check=False)
        assert one_line_error(result).startswith(f"borderlens: ingest failed: No space left on device: {disk}/w.duckdb")
