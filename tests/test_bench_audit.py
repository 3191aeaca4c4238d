"""bench/audit.py on a generated table (issue 15's generated release): it ingests and publishes bench/ingest.py's
BTS-layout table under a suppress_below policy, reports the audit's figures, and an independent LP attack over
every margin the audit protects recovers no small count beyond those the release declares unprotectable, at the
issue's million cells (about three and a half minutes on two cores: tests/conftest.py starts this file first). The
attacks are bench/attack.py's, run by `bench/audit.py --attack`: LP over every margin, differencing with an earlier
release, and the input's hash; their figures are in docs/performance.md."""

from __future__ import annotations

import json
import subprocess
import sys

from support import REPO, one_line_error
from attacker import K, MARGINS, _component_intervals, _truth

BENCH = REPO / "bench" / "audit.py"


def test_a_generated_million_cell_release_passes_its_audit_and_the_attacks_recover_nothing_more(tmp_path):
    cells = 1_000_000
    result = subprocess.run([sys.executable, str(BENCH), "--cells", str(cells), "--keep", str(tmp_path), "--json",
                             "--attack"],
                            capture_output=True, text=True, cwd=REPO, timeout=3600)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    figures = json.loads(result.stdout)
    assert figures["passed"] and figures["cells"] >= cells * 0.95 and figures["primaries"] > 0
    assert figures["publish_seconds"] > 0 and figures["baseline_seconds"] > 0
    truth, _ = _truth(tmp_path / "audit.duckdb", tmp_path / "release" / "borderlens.duckdb")
    assert len(truth) == figures["cells"]
    small = truth["true_value"].between(1, K - 1)
    assert int(small.sum()) == figures["primaries"]
    # bench/attack.py (the --attack of bench/audit.py, run on the 1M release in docs/performance.md): every margin
    assert figures["attack_unknown_cells"] > figures["primaries"] and figures["attack_seconds"] >= 0
    assert figures["attack_narrowed"] <= figures["unprotectable"]
    # the differencing attack (an earlier release with three months embargoed) and the hash attack (the input)
    assert 0 < figures["previous_cells"] < figures["cells"]
    assert figures["differencing_narrowed"] <= figures["unprotectable"]
    assert figures["suppressed_before_published_now"] == 0
    assert figures["hash_digests_found"] == 0 and figures["hash_control_found"] is True
    assert set(truth.loc[small, "value_status"]) <= {"suppressed"}   # every small count hidden, never a zero
    control = _component_intervals(truth, truth["value_status"].eq("withheld_by_publisher").to_numpy()
                                   | small.to_numpy(), MARGINS, enough=figures["attack_narrowed"] + 1)
    assert len(control) > figures["attack_narrowed"], "control: with primary suppression alone the attack narrows counts"


def test_the_audit_bench_refuses_a_bad_size_in_one_line():
    result = subprocess.run([sys.executable, str(BENCH), "--cells", "5"], capture_output=True, text=True,
                            cwd=REPO, timeout=60)
    assert "--cells must be 100 to 50,000,000, not 5" in one_line_error(result)
