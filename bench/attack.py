"""LP attack on a published release: the attacker of tests/attacker.py (its own scipy programs, not
the audit's code) knows every published cell and the true total of every margin group that docs/policy.md lists,
the wider ones included (a border's year, a country's month, a place over all years, a reporter's month), and
bounds each suppressed small count by linear programming, per connected set of suppressed cells.

    .venv/bin/python bench/attack.py --db WORK.duckdb --release RELEASE_DIR [--json]

Prints the crossing cells, the small counts, the counts the attack narrows below +-p % and the number the release
declares unprotectable, and the attack's seconds. Exit 0 when the attack narrows no more counts than the release
declares unprotectable (and every narrowed one is still suppressed), 1 otherwise, 2 on a usage mistake.
bench/audit.py --attack runs it on the release it publishes (issue 15's generated 1M-cell release).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from attacker import K, KEY, MARGINS, _component_intervals, _truth  # noqa: E402
from figures import print_figures  # noqa: E402  (bench/figures.py)


def attack(work_db: Path, release: Path) -> dict:
    started = time.perf_counter()
    truth, _ = _truth(work_db, release / "borderlens.duckdb")
    with duckdb.connect(str(release / "borderlens.duckdb"), read_only=True) as con:
        info = con.execute("select value from release_info where key = 'suppression_audit'").fetchone()
    declared = json.loads(info[0]) if info else {}
    unknown = truth["value_status"].isin(["suppressed", "withheld_by_publisher"]).to_numpy()
    loaded = time.perf_counter()
    narrow = _component_intervals(truth, unknown, MARGINS)
    done = time.perf_counter()
    unprotectable = int(declared.get("unprotectable", 0))
    return {
        "cells": len(truth), "small_counts": int(truth["true_value"].between(1, K - 1).sum()),
        "unknown_cells": int(unknown.sum()), "margins": list(MARGINS),
        "narrowed": len(narrow), "declared_unprotectable": unprotectable,
        "narrowed_still_suppressed": bool(set(narrow["value_status"]) <= {"suppressed"}),
        "passed": len(narrow) <= unprotectable and set(narrow["value_status"]) <= {"suppressed"},
        "narrowed_cells": narrow[KEY + ["true_value", "low", "high"]].astype(str).values.tolist()[:20],
        "read_seconds": round(loaded - started, 2), "attack_seconds": round(done - loaded, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="the working database the release came from")
    parser.add_argument("--release", type=Path, required=True, help="the release folder (borderlens.duckdb)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    for path in (args.db, args.release / "borderlens.duckdb"):
        if not path.is_file():
            print(f"attack.py: no such file: {path}", file=sys.stderr)
            return 2
    figures = attack(args.db, args.release)
    print_figures(figures, args.json)
    return 0 if figures["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
