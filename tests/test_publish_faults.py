"""Publishes SIGKILLed at random moments: the release at --out is always whole (`borderlens verify` exit 0 and
the app's own check passes), it is the previous release or the new one, never a mix, and the next publish
succeeds. The kill delays are drawn from a seeded random generator (the seed is in every failure message)."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

from data_pipeline.publish.verify import release_problems
from support import BORDERLENS, REPO, run_cli, write

KILLS = 2         # publishes killed mid-way that the test must see
MAX_ATTEMPTS = 10  # publishes started at the most to see them


def _release_id(out: Path) -> str:
    return json.loads((out / "release.json").read_text(encoding="utf-8"))["release_id"]


def _publish(db: Path, policy: Path, out: Path, previous: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen([BORDERLENS, "publish", "--db", str(db), "--policy", str(policy), "--out", str(out),
                             "--previous", str(previous)], cwd=REPO, env={**os.environ, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def test_publish_killed_at_random_moments_leaves_a_whole_release(tmp_path: Path, release_secret_inputs):
    s = release_secret_inputs
    seed = int(os.environ.get("BORDERLENS_FAULT_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    out = tmp_path / "release"
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {**s.env, "TMPDIR": str(temp)}
    policies = [s.policy, write(tmp_path / "other.toml", s.policy.read_text().replace("k = 500000", "k = 400000"))]

    run_cli("publish", "--db", s.work_db, "--policy", policies[1], "--out", out, env=env)
    # a publish carries suppression over from the release it follows, so every publish here follows one frozen
    # copy of that first release: what each policy gives is then fixed, and ids are content hashes
    frozen = tmp_path / "frozen"
    shutil.copytree(out, frozen)
    expected = {}
    durations = []  # whole publishes like the killed ones, CLI start-up included: kills fall inside them
    for number, policy in enumerate(policies):
        probe = tmp_path / f"probe-{number}"
        started = time.monotonic()
        run_cli("publish", "--db", s.work_db, "--policy", policy, "--out", probe, "--previous", frozen, env=env)
        durations.append(time.monotonic() - started)
        expected[policy] = _release_id(probe)
    assert expected[policies[0]] != expected[policies[1]]
    killed = attempt = 0
    while killed < KILLS and attempt < MAX_ATTEMPTS:
        policy = policies[attempt % 2]  # every publish changes the content, so a swap shows as a new id
        before = _release_id(out)
        duration = min(durations)  # a quieter machine publishes faster: the delays follow the fastest seen
        delay = rng.uniform(0.05, duration)
        started = time.monotonic()
        process = _publish(s.work_db, policy, out, frozen, env)
        try:
            process.wait(timeout=delay)  # the fault injection itself: the kill lands after a random delay
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
        returncode = process.wait()
        killed += returncode == -signal.SIGKILL
        if returncode == 0:
            durations.append(time.monotonic() - started)
        context = f"seed {seed}, attempt {attempt}, kill after {delay:.2f}s of {duration:.2f}s"
        attempt += 1
        verified = run_cli("verify", "--release", out, check=False)
        assert verified.returncode == 0, f"{context}: {verified.stdout}{verified.stderr}"
        assert release_problems(out) == [], context
        assert _release_id(out) in (before, expected[policy]), context  # the old release or the new, whole
        if returncode == 0:
            assert _release_id(out) == expected[policy], context
    assert killed >= KILLS, f"seed {seed}: only {killed} of {attempt} publishes were killed: the test proved little"
    final = json.loads(run_cli("publish", "--db", s.work_db, "--policy", policies[0], "--out", out, "--json",
                               "--previous", frozen, env=env).stdout)
    assert _release_id(out) == final["release_id"] == expected[policies[0]]
    assert run_cli("verify", "--release", out, check=False).returncode == 0
    assert not list(out.parent.glob(f".{out.name}.publish-*")), "build folders of killed publishes are removed"
    assert not list(temp.glob("*")), "scratch databases of killed publishes are removed"
