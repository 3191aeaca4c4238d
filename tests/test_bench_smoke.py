"""bench/ingest.py runs end to end on a small file: it prints the ratio line and the ingest reconciles."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from support import REPO

BENCH = REPO / "bench" / "ingest.py"


def test_bench_prints_ratio_and_reconciles(tmp_path):
    result = subprocess.run([sys.executable, str(BENCH), "--rows", "2000", "--keep", str(tmp_path)],
                            capture_output=True, text=True, cwd=REPO, timeout=300)
    out = result.stdout
    assert result.returncode == 0, f"{out}\n{result.stderr}"
    assert re.search(r"^ratio ingest/baseline: time \d+\.\d\dx, peak RSS \d+\.\d\dx$", out, re.M), out
    reconciled = re.search(r"^reconciled: rows_read 2,000 = loaded ([\d,]+) \+ quarantined ([\d,]+), "
                           r"N = 2,000: OK$", out, re.M)
    assert reconciled, out
    loaded, quarantined = (int(g.replace(",", "")) for g in reconciled.groups())
    assert loaded + quarantined == 2000 and loaded > 0
    assert (tmp_path / "bts_bench_2000.csv").is_file()


def test_bench_reads_the_gzip_file_as_shipped_and_detects_the_profile(tmp_path):
    """--gzip: both sides read FILE.csv.gz; --detect: the ingest is given no profile and must find BTS's."""
    result = subprocess.run([sys.executable, str(BENCH), "--rows", "2000", "--keep", str(tmp_path), "--gzip",
                             "--detect"], capture_output=True, text=True, cwd=REPO, timeout=300)
    out = result.stdout
    assert result.returncode == 0, f"{out}\n{result.stderr}"
    assert re.search(r"^ingest benchmark: N=2,000 rows, [\d.]+ MB csv\.gz ", out, re.M), out
    assert "profile detected without --profile: bts-border-crossings" in out
    assert re.search(r"^reconciled: rows_read 2,000 = .*: OK$", out, re.M), out
    assert (tmp_path / "bts_bench_2000.csv.gz").is_file()


def test_designs_bench_runs_each_design_over_every_row(tmp_path):
    script = REPO / "bench" / "ingest_designs.py"
    result = subprocess.run([sys.executable, str(script), "--rows", "2000", "--keep", str(tmp_path)],
                            capture_output=True, text=True, cwd=REPO, timeout=300)
    out = result.stdout
    assert result.returncode == 0, f"{out}\n{result.stderr}"
    for design in ("narrow", "direct"):
        done = re.search(rf"^  {design} +([\d,]+) rows loaded on ([\d,]+) distinct lines, ([\d,]+) failed$", out, re.M)
        assert done, out
        loaded, lines, failed = (int(g.replace(",", "")) for g in done.groups())
        assert loaded == lines and loaded + failed == 2000 and failed > 0
        assert re.search(rf"^{design} +passes +\d+\.\d\d s = \d+\.\d\dx baseline", out, re.M), out


def test_interleaved_runs_each_command_in_turn_and_gives_ratios_to_the_last(tmp_path):
    """bench/interleaved.py: every command runs once per round (a log shows the order), --before runs before each, a
    command that sleeps longer has the larger median, and the baseline's ratio is 1.00x; a failing command stops it."""
    log = tmp_path / "log"
    slow, fast = f"echo slow >> {log}; sleep 0.3", f"echo fast >> {log}; sleep 0.05"
    result = subprocess.run([sys.executable, str(REPO / "bench" / "interleaved.py"), "--runs", "3", "--json",
                             "--before", f"echo before >> {log}", slow, fast], capture_output=True, text=True,
                            cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    assert log.read_text().split() == ["before", "slow", "before", "fast"] * 3
    report = json.loads(result.stdout)["commands"]
    assert report[fast]["ratio"] == 1.0 and report[slow]["median"] > report[fast]["median"] + 0.15
    assert report[slow]["ratio"] > 2
    failed = subprocess.run([sys.executable, str(REPO / "bench" / "interleaved.py"), "--runs", "2", "exit 3", "true"],
                            capture_output=True, text=True, cwd=REPO, timeout=60)
    assert failed.returncode == 1 and "failed (3): exit 3" in failed.stderr
