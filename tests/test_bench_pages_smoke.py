"""bench/pages.py runs end to end at a tiny scale: it builds and publishes a release and prints server-time
figures for the pages asked for (two here, each measured in fresh processes both ways: all eleven took 70 s of a
busy suite; the browser part is skipped too), and refuses a page it does not know. bench/pages_compare.py prints
both versions' figures for each page asked for, and refuses a base checkout without that page."""

from __future__ import annotations

import re
import subprocess
import sys

from support import REPO
from test_app_release import release_dir  # noqa: F401 (fixture: the demo release)

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


COMPARE = REPO / "bench" / "pages_compare.py"


def test_bench_pages_compare_prints_both_versions_of_each_page(release_dir):  # noqa: F811
    # this checkout against itself, on the demo release: one process of each, one warm view
    result = subprocess.run([sys.executable, str(COMPARE), "--base-tree", str(REPO), "--base-release", release_dir,
                             "--release", release_dir, "--pages", "overview,notices", "--rounds", "1", "--warm", "1"],
                            capture_output=True, text=True, cwd=REPO, timeout=300)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    for page in ("overview", "notices"):
        for version in ("base", "this"):
            # page, version, then cold p50, cold p95, warm p50, warm p95 and the component scan (ms)
            assert re.search(rf"^{page}\s+{version}(\s+\d+){{5}}$", result.stdout, re.M), result.stdout


def test_bench_pages_compare_refuses_a_base_without_the_page(release_dir, tmp_path):  # noqa: F811
    (tmp_path / "app.py").write_text("", encoding="utf-8")
    result = subprocess.run([sys.executable, str(COMPARE), "--base-tree", str(tmp_path), "--base-release", release_dir,
                             "--release", release_dir, "--pages", "notices"], capture_output=True, text=True, cwd=REPO,
                            timeout=120)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert f"{tmp_path}/pages/notices.py" in result.stderr, result.stderr
