"""How the key/value benches print their figures: one JSON object with --json, else one aligned line per figure
(bench/attack.py, bench/audit.py, bench/protect.py), so their outputs read and parse alike."""

from __future__ import annotations

import json


def print_figures(figures: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(figures, indent=2))
        return
    width = max(map(len, figures), default=0) + 2
    for key, value in figures.items():
        print(f"{key:<{width}} {value}")
