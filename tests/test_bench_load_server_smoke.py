"""bench/load_server.py runs end to end, briefly: `borderlens serve` on the test release, two visitors speaking
Streamlit's websocket protocol through every page, with times, errors and the server's memory and CPU."""

from __future__ import annotations

import json
import subprocess
import sys

from support import REPO, one_line_error
from test_app_release import release_dir  # noqa: F401 (fixture)

BENCH = REPO / "bench" / "load_server.py"


def test_server_load_bench_visits_every_page_and_reports(release_dir):  # noqa: F811
    result = subprocess.run([sys.executable, str(BENCH), "--release", release_dir, "--sessions", "2", "--seconds",
                             "3", "--json"], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    figures = json.loads(result.stdout)
    assert figures["errors"] == 0, figures["error_samples"]
    steps = figures["steps"]
    # one whole visit alone first: the Overview, then each of the other pages (each checked to be the page run);
    # the timed part is bounded by --seconds, so on a busy machine it may not get through every page
    pages = [p.stem for p in (REPO / "pages").glob("*.py")]
    assert set(figures["one_visitor_alone"]) == {"open", "navigate", "deep link"} and not figures["errors_alone"]
    assert figures["one_visitor_alone_steps"]["navigate"] == len(pages) - 1
    assert steps["open"]["n"] >= 2   # each session opens the Overview before it looks at the time
    assert steps["all steps"]["n"] == sum(row["n"] for kind, row in steps.items() if kind != "all steps")
    assert 0 < steps["all steps"]["p50_s"] <= steps["all steps"]["p95_s"] <= steps["all steps"]["max_s"]
    assert figures["server"]["cpu_cores_avg"] > 0 and figures["server"]["rss_mb_peak"] > 0


def test_server_load_bench_refuses_a_bad_option_in_one_line(tmp_path):
    result = subprocess.run([sys.executable, str(BENCH), "--sessions", "0"], capture_output=True, text=True,
                            cwd=REPO, timeout=60)
    assert "--sessions must be 1 to 500, not 0" in one_line_error(result)
    result = subprocess.run([sys.executable, str(BENCH), "--release", str(tmp_path)], capture_output=True,
                            text=True, cwd=REPO, timeout=60)
    assert "is not a release folder" in one_line_error(result)
