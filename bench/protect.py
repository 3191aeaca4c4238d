"""Secondary suppression and the LP audit (publish/protection.protect) alone, on a generated table in numpy: the
step of `borderlens publish` that decides which crossing cells to hide, timed without the SQL around it.

    .venv/bin/python bench/protect.py [--cells 10000000] [--narrow-only] [--json]

The table has the shape of bench/ingest.py's: one reporter, ports on two borders of one country x 170 months x
12 measures; about 0.036 % of the counts are below k = 10 (as many as that generator gives) and 0.1 % are
withheld by the publisher. Its margins are those of suppression.MARGINS (the wider ones too, unless
--narrow-only: the margins before they were audited), with p = 20. Prints cells, primaries, hidden cells after
protect, unprotectable and failing cells, margin groups split (disclosure_audit._split_wide) and seconds.
PYTHONPATH=OTHER_CHECKOUT runs another checkout's protect on the same table (before / after a change).
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from data_pipeline.publish import disclosure_audit, protection
from data_pipeline.publish.suppression import secondary_cells

from figures import print_figures  # bench/figures.py

MONTHS, MEASURES, K, P = 170, 12, 10, 20.0


def table(cells: int, narrow_only: bool, seed: int = 15):
    rng = np.random.default_rng(seed)
    ports = max(cells // (MONTHS * MEASURES), 2)
    port, month, measure = (a.ravel() for a in np.meshgrid(np.arange(ports), np.arange(MONTHS),
                                                           np.arange(MEASURES), indexing="ij"))
    n = len(port)
    border, year = port % 2, month // 12
    value = np.floor(np.exp(rng.uniform(np.log(10), np.log(200_000), n)))
    small = rng.random(n) < 0.00036
    value[small] = rng.integers(1, K, int(small.sum()))
    withheld = (rng.random(n) < 0.001) & ~small
    true_value = np.where(withheld, np.nan, value)

    def group(*keys):
        return np.unique(np.stack(keys, axis=1), axis=0, return_inverse=True)[1].ravel().astype(np.int64)

    margins = [np.arange(n, dtype=np.int64),          # place x period x measure: one reporter, a group per cell
               group(port, month), group(border, month, measure), group(port, year, measure)]
    wide = ()
    if not narrow_only:
        margins += [group(border, year, measure), group(month, measure), group(port, measure), group(month, measure)]
        wide = (4, 5, 6, 7)
    cells_ = disclosure_audit.Cells(true_value=true_value, hidden=small.copy(), withheld=withheld,
                                    missing=np.zeros(n, bool), eligible=~small & ~withheld, known=np.zeros(n, bool),
                                    primary=small, margins=margins)
    if wide and "wide" in disclosure_audit.Cells.__dataclass_fields__:
        cells_.wide = wide
    plain = np.where(withheld, np.nan, value)

    def secondary(hidden):
        return secondary_cells(plain, hidden, withheld, cells_.eligible, margins)[0]

    return cells_, secondary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=10_000_000)
    parser.add_argument("--narrow-only", action="store_true", help="only the four margins audited before")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not 1_000 <= args.cells <= 50_000_000:
        print(f"protect.py: --cells must be 1,000 to 50,000,000, not {args.cells}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    cells, secondary = table(args.cells, args.narrow_only)
    built = time.perf_counter()
    hidden, result = protection.protect(cells, secondary, P, slices=((2, 3), (3, 2)))
    done = time.perf_counter()
    figures = {"cells": len(hidden), "primaries": int(cells.primary.sum()), "hidden": int(hidden.sum()),
               "unprotectable": result.unprotectable, "failing": len(result.failing),
               "margins": len(cells.margins), "split_groups": getattr(result, "split_groups", None),
               "build_seconds": round(built - started, 1), "protect_seconds": round(done - built, 1)}
    print_figures(figures, args.json)
    return 0 if not len(result.failing) else 1


if __name__ == "__main__":
    sys.exit(main())
