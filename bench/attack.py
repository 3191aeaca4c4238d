"""LP attack on a published release: the attacker of tests/attacker.py (its own scipy programs, not
the audit's code) knows every published cell and the true total of every margin group that docs/policy.md lists,
the wider ones included (a border's year, a country's month, a place over all years, a reporter's month), and
bounds each suppressed small count by linear programming, per connected set of suppressed cells.

    .venv/bin/python bench/attack.py --db WORK.duckdb --release RELEASE_DIR [--previous RELEASE_DIR]
                                     [--input FILE] [--json]

Prints the crossing cells, the small counts, the counts the attack narrows below +-p % and the number the release
declares unprotectable, and the attack's seconds. With --previous, the differencing attack as well: the attacker
also holds that earlier release's cells and every total over them. It runs first: every table it finds feasible is
feasible for the LP attacker too (who knows less), so the LP attack starts from their extremes and solves only for
the counts they do not yet take to +-p %. With --input, the hash attack: any digest of
the input file (the attacker's best candidate) in any byte or text cell of the release (a control: the digest of
the release's own database, which digests.json lists, must be found). Exit 0 when the attacks narrow no more counts
than the release declares unprotectable (and every narrowed one is still suppressed) and find no digest, 1
otherwise, 2 on a usage mistake. bench/audit.py --attack runs them on the releases it publishes (issue 15's
generated 1M-cell releases).
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
from attacker import K, KEY, MARGINS, _cells, _component_intervals, _truth, feasible_extremes, hash_attack  # noqa: E402
from figures import print_figures  # noqa: E402  (bench/figures.py)


def attack(work_db: Path, release: Path, previous: Path | None = None, input_file: Path | None = None) -> dict:
    started = time.perf_counter()
    truth, _ = _truth(work_db, release / "borderlens.duckdb")
    with duckdb.connect(str(release / "borderlens.duckdb"), read_only=True) as con:
        info = con.execute("select value from release_info where key = 'suppression_audit'").fetchone()
    declared = json.loads(info[0]) if info else {}
    unknown = truth["value_status"].isin(["suppressed", "withheld_by_publisher"]).to_numpy()
    unprotectable = int(declared.get("unprotectable", 0))
    extremes = feasible_extremes(truth)   # each cell's least and greatest value in the feasible tables found
    differencing = _differencing(truth, previous, unprotectable, extremes) if previous is not None else {}
    loaded = time.perf_counter()
    # the differencing attacker holds this attacker's totals and more, so its tables are feasible here too: they
    # are this attack's start (with an earlier release this attack solves only where they fall short)
    narrow = _component_intervals(truth, unknown, MARGINS, extremes=extremes)
    done = time.perf_counter()
    figures = {
        "cells": len(truth), "small_counts": int(truth["true_value"].between(1, K - 1).sum()),
        "unknown_cells": int(unknown.sum()), "margins": list(MARGINS),
        "narrowed": len(narrow), "declared_unprotectable": unprotectable,
        "narrowed_still_suppressed": bool(set(narrow["value_status"]) <= {"suppressed"}),
        "passed": len(narrow) <= unprotectable and set(narrow["value_status"]) <= {"suppressed"},
        "narrowed_cells": narrow[KEY + ["true_value", "low", "high"]].astype(str).values.tolist()[:20],
        "read_seconds": round(loaded - started - differencing.get("differencing_seconds", 0), 2),
        "attack_seconds": round(done - loaded, 2),
    }
    if previous is not None:
        figures.update(differencing)
        figures["passed"] = figures["passed"] and figures["differencing_passed"]
    if input_file is not None:
        started = time.perf_counter()
        found = hash_attack(input_file, release, *([previous] if previous is not None else []))
        figures.update({"hash_digests_found": found["found"], "hash_size_published": found["size_published"],
                        "hash_control_found": found["control_found"],
                        "hash_seconds": round(time.perf_counter() - started, 2)})
        figures["passed"] = (figures["passed"] and not found["found"] and not found["size_published"]
                             and found["control_found"])
    return figures


def _differencing(truth, previous: Path, unprotectable: int, extremes: tuple) -> dict:
    """The attack with the earlier release's cells and totals as well: unknown are the cells this release hides
    that the earlier one did not publish; no count the earlier one hid may be published now. extremes: widened by
    every feasible table found (see _component_intervals)."""
    started = time.perf_counter()
    one = _cells(previous / "borderlens.duckdb")
    both = truth.merge(one[KEY + ["value_status"]], on=KEY, how="left", suffixes=("", "_1"), indicator=True)
    in_first = (both["_merge"] == "both").to_numpy()
    unknown = (truth["value_status"].eq("suppressed") & ~both["value_status_1"].isin(["reported", "estimated"])
               | truth["value_status"].eq("withheld_by_publisher")).to_numpy()
    came_back = int(((both["value_status_1"] == "suppressed") & (both["value_status"] != "suppressed")).sum())
    narrow = _component_intervals(truth, unknown, MARGINS, releases=(in_first,), extremes=extremes)
    return {"previous_cells": len(one), "previous_cells_in_both": int(in_first.sum()),
            "suppressed_before_published_now": came_back, "differencing_narrowed": len(narrow),
            "differencing_passed": came_back == 0 and len(narrow) <= unprotectable
            and set(narrow["value_status"]) <= {"suppressed"},
            "differencing_seconds": round(time.perf_counter() - started, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="the working database the release came from")
    parser.add_argument("--release", type=Path, required=True, help="the release folder (borderlens.duckdb)")
    parser.add_argument("--previous", type=Path, help="an earlier release the attacker also holds (differencing)")
    parser.add_argument("--input", type=Path, help="the input file, for the hash attack")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    wanted = [args.db, args.release / "borderlens.duckdb"] + ([args.previous / "borderlens.duckdb"] if args.previous
                                                             else []) + ([args.input] if args.input else [])
    for path in wanted:
        if not path.is_file():
            print(f"attack.py: no such file: {path}", file=sys.stderr)
            return 2
    figures = attack(args.db, args.release, args.previous, args.input)
    print_figures(figures, args.json)
    return 0 if figures["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
