"""Publishes as real processes: two into one folder do not race (the second fails in one line while the first
holds the folder's lock), and the scratch copy of a publish killed with SIGKILL (unredacted data) sits in a folder
only its user can enter and is removed by the next command of any kind."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import time
from pathlib import Path

from support import BORDERLENS, REPO, one_line_error, run_cli, write


def start_publish(db: Path, policy: Path, out: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen([BORDERLENS, "publish", "--db", str(db), "--policy", str(policy), "--out", str(out),
                             "--json"], cwd=REPO, env={**os.environ, **env}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def stopped_when(process: subprocess.Popen, ready) -> None:
    """SIGSTOP process as soon as ready() holds (polled, with a deadline); fails if it ended first."""
    deadline = time.monotonic() + 60
    while not ready():
        assert process.poll() is None, f"the publish ended before it could be stopped: {process.stderr.read()}"
        assert time.monotonic() < deadline, "the publish never got there"
        time.sleep(0.002)
    os.kill(process.pid, signal.SIGSTOP)


def scratch_folders(temp: Path) -> list[Path]:
    return sorted(temp.glob("borderlens-publish-*"))


def test_second_publish_into_the_same_folder_fails_in_one_line(tmp_path: Path, release_secret_inputs):
    s = release_secret_inputs
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {**s.env, "TMPDIR": str(temp)}
    out = tmp_path / "release"
    other = write(tmp_path / "other.toml", s.policy.read_text().replace("k = 500000", "k = 400000"))
    first = start_publish(s.work_db, s.policy, out, env)
    try:
        # the scratch folder is made under the lock: once it has its database, the first publish is at work
        stopped_when(first, lambda: any((f / "scratch.duckdb").exists() for f in scratch_folders(temp)))
        second = run_cli("publish", "--db", s.work_db, "--policy", other, "--out", out, check=False, env=env)
        assert one_line_error(second) == (f"borderlens: another publish (process {first.pid}) is writing {out}: "
                                          "run this one again when it has finished")
        assert len(scratch_folders(temp)) == 1, "the second publish started work before it had the lock"
    finally:
        os.kill(first.pid, signal.SIGCONT)
        stdout, stderr = first.communicate(timeout=120)
    assert first.returncode == 0, stderr
    published = json.loads(stdout)["release_id"]
    assert json.loads((out / "release.json").read_text())["release_id"] == published
    # the lock goes with its process: the next publish runs, and its release replaces the first
    third = json.loads(run_cli("publish", "--db", s.work_db, "--policy", other, "--out", out, "--json",
                               env=env).stdout)["release_id"]
    assert third != published and json.loads((out / "release.json").read_text())["release_id"] == third
    # beside the release: its lock, and the record of the files' SHA-256 (verify.record_verified), of the newest
    assert sorted(p.name for p in tmp_path.iterdir()) == [".release.lock", ".release.verified.json", "other.toml",
                                                          "release", "temp"]
    assert json.loads((tmp_path / ".release.verified.json").read_text())["release_id"] == third


def test_killed_publish_scratch_is_private_and_removed_by_the_next_command(tmp_path: Path, release_secret_inputs):
    s = release_secret_inputs
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {**s.env, "TMPDIR": str(temp)}
    publish = start_publish(s.work_db, s.policy, tmp_path / "release", env)
    killed = False
    try:
        stopped_when(publish, lambda: any((f / "scratch.duckdb").exists() for f in scratch_folders(temp)))
        [scratch] = scratch_folders(temp)
        assert stat.S_IMODE(scratch.stat().st_mode) == 0o700, "others could read the unredacted scratch copy"
        assert scratch.stat().st_uid == os.geteuid()
        # another command while the publish lives (stopped, not dead) leaves its scratch folder alone; one that does
        # not open the working database, which the publish may already hold (stopped after it attached it, as a
        # loaded machine made happen: `status` then failed on the lock, a timing flake)
        run_cli("verify", "--release", s.release, env=env)
        assert scratch.is_dir(), "a command removed the scratch folder of a live publish"
        os.kill(publish.pid, signal.SIGKILL)
        killed = True
    finally:
        if not killed:
            os.kill(publish.pid, signal.SIGCONT)
        publish.communicate(timeout=120)
    assert publish.returncode == -signal.SIGKILL
    assert (scratch / "scratch.duckdb").exists(), "SIGKILL leaves the scratch copy behind (else this proves nothing)"
    # any command, not only the next publish, removes it
    run_cli("quarantine", "--db", s.work_db, env=env)
    assert not scratch.exists(), "the scratch copy of a killed publish outlived the next command"
    assert not list(temp.iterdir())


def holds_open(pid: int, path: Path) -> bool:
    """Whether process pid has path open (its file descriptors in /proc)."""
    target = str(path.resolve())
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if os.readlink(fd) == target:
                return True
        except OSError:   # a descriptor closed while we looked
            continue
    return False


def test_status_and_quarantine_run_beside_a_publish_that_holds_the_working_database(tmp_path: Path,
                                                                                     release_secret_inputs):
    s = release_secret_inputs
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {**s.env, "TMPDIR": str(temp)}
    publish = start_publish(s.work_db, s.policy, tmp_path / "release", env)
    try:
        # stopped while it has the working database open (attached read-only): the commands that only read it must
        # not need the write lock
        stopped_when(publish, lambda: holds_open(publish.pid, Path(s.work_db)))
        status = json.loads(run_cli("status", "--db", s.work_db, "--json", env=env).stdout)
        assert status["sources"] and status["schema_version"] > 0
        listing = run_cli("quarantine", "--db", s.work_db, env=env).stdout
        assert listing.startswith("source_id,dataset,line_no,reasons,raw_record\n")
        assert holds_open(publish.pid, Path(s.work_db)), "the publish let go of the database: this proves nothing"
    finally:
        os.kill(publish.pid, signal.SIGCONT)
        stdout, stderr = publish.communicate(timeout=120)
    assert publish.returncode == 0, stderr
