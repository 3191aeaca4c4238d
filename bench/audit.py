"""Suppression audit bench: a generated crossings table of N cells, ingested and published under a suppress_below
policy, with the audit's own figures beside the time of a plain DuckDB read of the same file.

    .venv/bin/python bench/audit.py [--cells 1000000] [--keep DIR] [--json] [--attack]

The table is bench/ingest.py's BTS-layout generator (ports x months x measures, skewed counts, some withheld by
the publisher): small counts fall under k = 10 and are suppressed, with secondary suppression and the linear-
programming audit of docs/policy.md. Each step runs in a fresh process (`borderlens ingest`, `borderlens publish
--json`, and the baseline `create table as select * from read_csv`), timed with its peak RSS. Prints: cells,
primary and secondary suppressions, linear programs solved, the narrowest interval as a share of its value, cells
nothing can protect, publish seconds, and publish / baseline. With --attack, an earlier release is published first
(dated 15 January 2025: its last three months embargoed) and the release then with --previous, and bench/attack.py
attacks them: the LP attack over every margin, the differencing attack with both releases, and the hash attack with
the input file (issue 15's generated 1M-cell releases; tests/test_bench_audit.py runs it so in `make test`).
Exit 0 when the publish passed its audit (and the attack recovered no more than the release declares), 1 when it
did not, 2 on a usage mistake.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import ingest as ingest_bench  # noqa: E402  (bench/ingest.py: the generator and the child runner)
from figures import print_figures  # noqa: E402  (bench/figures.py)

POLICY = """
[policy]
name = "audit bench"
description = "Small crossing counts suppressed, with secondary suppression and the audit."

[[rule]]
id = "crossings-small-counts"
dataset = "crossings"
action = "suppress_below"
fields = ["value"]
k = 10
keep_zeros = true
p = 20
accept_unprotectable = true
reason = "Counts of fewer than 10 can single out the people or vehicles counted."

[[rule]]
id = "crossings-recent"
dataset = "crossings"
action = "embargo_days"
days = 90
reason = "Recent months wait 90 days (the generated months end in December 2024: nothing waits today)."
"""
EARLIER = "2025-01-15"   # --attack: the earlier release's publish date, October to December 2024 held back


def run(cells: int, workdir: Path, with_attack: bool = False) -> dict:
    csv_path, _ = ingest_bench.bench_csv(cells, workdir, withheld=0.001, bad=0.0)
    command = ingest_bench.borderlens_command()
    db, release, policy = workdir / "audit.duckdb", workdir / "release", workdir / "policy.toml"
    policy.write_text(POLICY, encoding="utf-8")
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    baseline = ingest_bench._run_baseline(csv_path, workdir / "baseline.duckdb", cells)
    ingest = ingest_bench.run_child([*command, "ingest", str(csv_path), "--db", str(db), "--no-progress"])
    if ingest["returncode"] != 0:
        ingest_bench._fail("ingest", ingest)
    previous = workdir / "previous"
    if with_attack:   # the differencing attack's earlier release: same data, its last three months embargoed
        earlier = ingest_bench.run_child([*command, "publish", "--db", str(db), "--policy", str(policy), "--out",
                                          str(previous)], env={**os.environ, "BORDERLENS_PUBLISH_DATE": EARLIER})
        if earlier["returncode"] != 0:
            ingest_bench._fail("publish of the earlier release", earlier)
    publish = ingest_bench.run_child([*command, "publish", "--db", str(db), "--policy", str(policy), "--out",
                                      str(release), "--json"] + (["--previous", str(previous)] if with_attack else []))
    if publish["returncode"] != 0:
        return {"cells": cells, "passed": False, "error": publish["stderr"].strip().splitlines()[-1:],
                "publish_seconds": round(publish["wall_seconds"], 2)}
    audit = json.loads(publish["stdout"])["notes"]["suppression_audit"]
    figures = {
        "cells": audit["cells"], "passed": audit["passed"],
        "primaries": audit["primaries"], "secondaries": audit["secondaries"],
        "unprotectable": audit["unprotectable"], "linear_programs": audit["linear_programs"],
        "margin_groups": audit["margin_groups"], "narrowest_interval_share": audit["narrowest_interval_share"],
        "ingest_seconds": round(ingest["wall_seconds"], 2), "publish_seconds": round(publish["wall_seconds"], 2),
        "publish_peak_rss_mb": round(publish["peak_rss_mb"]),
        "baseline_seconds": baseline["wall_seconds"],
        "publish_over_baseline": None,
    }
    if with_attack:
        import attack  # noqa: PLC0415  (bench/attack.py: reads the tests' attacker only when asked)

        found = attack.attack(db, release, previous, csv_path)
        figures.update({"attack_narrowed": found["narrowed"], "attack_seconds": found["attack_seconds"],
                        "attack_unknown_cells": found["unknown_cells"],
                        "differencing_narrowed": found["differencing_narrowed"],
                        "suppressed_before_published_now": found["suppressed_before_published_now"],
                        "previous_cells": found["previous_cells"], "differencing_seconds": found["differencing_seconds"],
                        "hash_digests_found": len(found["hash_digests_found"]),
                        "hash_control_found": found["hash_control_found"], "hash_seconds": found["hash_seconds"],
                        "passed": audit["passed"] and found["passed"]})
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=1_000_000, help="generated crossing figures (default 1M)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep the generated file")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--attack", action="store_true", help="attack the release by LP afterwards (bench/attack.py)")
    args = parser.parse_args(argv)
    if not 100 <= args.cells <= 50_000_000:
        print(f"audit.py: --cells must be 100 to 50,000,000, not {args.cells}", file=sys.stderr)
        return 2
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        figures = run(args.cells, args.keep, args.attack)
    else:
        with tempfile.TemporaryDirectory(prefix="borderlens-audit-") as folder:
            figures = run(args.cells, Path(folder), args.attack)
    if figures.get("baseline_seconds"):
        figures["publish_over_baseline"] = round(figures["publish_seconds"] / figures["baseline_seconds"], 1)
    print_figures(figures, args.json)
    return 0 if figures["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
