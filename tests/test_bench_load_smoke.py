"""bench/load.py runs end to end, briefly: it starts `borderlens serve` on the test release, drives two browser
sessions in Chromium for a few seconds and reports times to rendered, errors and the server's memory and CPU."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from support import REPO, one_line_error
from test_app_release import release_dir  # noqa: F401 (fixture)

BENCH = REPO / "bench" / "load.py"
CHROMIUM = "/usr/bin/chromium"


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed (apt-get install chromium)")
def test_load_bench_drives_two_sessions_and_reports(release_dir):  # noqa: F811
    result = subprocess.run([sys.executable, str(BENCH), "--release", release_dir, "--sessions", "2", "--seconds",
                             "3", "--json"], capture_output=True, text=True, cwd=REPO, timeout=240)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    figures = json.loads(result.stdout)
    assert figures["errors"] == 0, figures["error_samples"]
    steps = figures["steps"]
    assert steps["open"]["n"] >= 2   # each session opened the Overview at least once
    assert steps["all steps"]["n"] == sum(row["n"] for kind, row in steps.items() if kind != "all steps")
    assert 0 < steps["all steps"]["p50_s"] <= steps["all steps"]["p95_s"] <= steps["all steps"]["max_s"]
    server = figures["server"]
    assert server["processes"] >= 1 and server["rss_mb_peak"] >= server["rss_mb_start"] > 0
    assert server["cpu_cores_avg"] > 0


def test_load_bench_refuses_a_bad_option_in_one_line(tmp_path):
    result = subprocess.run([sys.executable, str(BENCH), "--sessions", "0"], capture_output=True, text=True,
                            cwd=REPO, timeout=60)
    assert "--sessions must be 1 to 200, not 0" in one_line_error(result)
    result = subprocess.run([sys.executable, str(BENCH), "--release", str(tmp_path)], capture_output=True,
                            text=True, cwd=REPO, timeout=60)
    assert "is not a release folder" in one_line_error(result)
