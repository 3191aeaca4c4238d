#!/usr/bin/env python3
"""Generate borderlens' SYNTHETIC demo inputs, deterministically.

Everything this script writes is invented for the borderlens demo: none of it is a real exercise
notice, a real infrastructure project or a real border-guard / customs figure. Every output says so
in the data itself (a `synthetic` column or top-level `"synthetic": true`, designations and names
prefixed "SYNTHETIC", and a `notes`/`description` text). Licence of the outputs: CC0-1.0.

Outputs (relative to the sample_data folder, or to --out):
  notices/exercise_notices_demo.csv            borderlens exercise-notice template, CSV
  notices/exercise_notices_demo.json           the same template, JSON
  projects/infrastructure_projects_demo.csv    borderlens infrastructure-project template, CSV
  projects/infrastructure_projects_demo.geojson  the same template, GeoJSON (RFC 7946)
  crossings/mirror_neighbour_counts_demo.csv   wide European-style layout: the neighbour's own
                                               counts (CAN, MEX) of six real BTS ports
  crossings/eu_border_guard_crossings_demo.csv wide layout: invented border-guard counts (FIN, EST, POL)

The mirror file is derived from the real BTS file crossings/bts_border_crossing_entry_data_2023-01_2025-02.csv
(read from the sample_data folder, never from --out), multiplied by invented factors.

Deterministic: seeded `random.Random` instances, no clock, no environment, stable ordering, '\n' line
endings, UTF-8 without BOM. Running it twice gives byte-identical files; a test checks that the committed
files are what this script writes. Standard library only.

Usage:  python sample_data/generate_synthetic.py [--out DIR]
"""
from __future__ import annotations

import argparse
from pathlib import Path

from synthetic_common import HERE
from synthetic_crossings import build_eu, build_mirror
from synthetic_notices import build_notices
from synthetic_projects import build_projects


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE, help="output folder (default: the sample_data folder)")
    args = ap.parse_args(argv)
    build_notices(args.out)
    build_projects(args.out)
    build_mirror(args.out)
    build_eu(args.out)


if __name__ == "__main__":
    main()
