"""bench/pages.py runs end to end at a tiny scale: it builds and publishes a release and prints server-time
figures for the pages asked for (two here, each measured in fresh processes both ways: all eleven took 70 s of a
busy suite; the browser part is skipped too), and refuses a page it does not know."""

from __future__ import annotations

import re
import subprocess
import sys

from support import REPO

BENCH = REPO / "bench" / "pages.py"
PAGES = ["app.py (every page)", "Overview", "Exercise notices"]


def test_bench_pages_prints_a_figure_per_page(tmp_path):
    result = subprocess.run([sys.executable, str(BENCH), "--crossings", "2000", "--notices", "200", "--projects",
                             "100", "--runs", "1", "--warm", "2", "--pages", "overview,notices", "--no-browser",
                             "--keep", str(tmp_path)],
                            capture_output=True, text=True, cwd=REPO, timeout=300)
    out = result.stdout
    assert result.returncode == 0, f"{out}\n{result.stderr}"
    for page in PAGES:
        # label, then cold p50, cold p95, warm p50, warm p95 (ms)
        assert re.search(rf"^{re.escape(page)}\s+\d+\s+\d+\s+\d+\.\d\s+\d+\.\d", out, re.M), f"{page}:\n{out}"
    assert not re.search(r"^(Map|Crossing trends) ", out, re.M), out   # only the pages asked for
    assert (tmp_path / "release" / "release.json").is_file()
    assert re.search(r"'crossings': \d+", out), out
    # the share of the entry page's figures that is AppTest's own scan for components (timed, not left out)
    assert re.search(r"Streamlit components, \d+ ms \(a server scans once, at start\)", out), out


def test_bench_pages_refuses_a_page_it_does_not_know():
    result = subprocess.run([sys.executable, str(BENCH), "--pages", "overview,nosuch"], capture_output=True, text=True,
                            cwd=REPO, timeout=120)
    assert result.returncode == 2 and "unknown page nosuch" in result.stderr, result.stderr
