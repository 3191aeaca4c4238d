"""Interleaved timing of shell commands: each runs once per round, in turn, for --runs rounds, so that the machine's
speed, which moves by 10-40% within an hour here, weighs on every command alike. How docs/performance.md compares
the code before and after a change (a clone of the earlier commit beside the checkout).

    .venv/bin/python bench/interleaved.py --runs 15 --before 'rm -f /tmp/ab.duckdb*' \\
        'cd /tmp/old && PYTHONPATH=/tmp/old exec .../python -m data_pipeline ingest F.csv.gz --db /tmp/ab.duckdb' \\
        'exec .../python -m data_pipeline ingest F.csv.gz --db /tmp/ab.duckdb' \\
        'exec .../python -c "import duckdb; ..."'

Prints per command the median, min, quartiles of wall seconds, the median CPU seconds (user + system of the
command's process and the children it waited for: os.wait4), and the median as a multiple of the last command's
(the baseline). --before runs before every timed command, untimed (e.g. removing the database it makes). A command
that fails stops the run (exit 1): a timing of a failure is no figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def timed(command: str) -> tuple[float, float, int]:
    """(wall s, CPU s, exit status) of one run of command in /bin/sh."""
    started = time.perf_counter()
    process = subprocess.Popen(command, shell=True, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def summary(walls: list[float], cpus: list[float], baseline: float) -> dict:
    quartiles = statistics.quantiles(walls, n=4, method="inclusive") if len(walls) > 1 else [walls[0]] * 3
    median = statistics.median(walls)
    return {"median": median, "min": min(walls), "q1": quartiles[0], "q3": quartiles[2],
            "cpu": statistics.median(cpus), "ratio": median / baseline}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("commands", nargs="+", help="shell commands; the last is the baseline of the ratios")
    parser.add_argument("--runs", type=int, default=9, help="rounds (default 9)")
    parser.add_argument("--before", default="", help="a shell command run, untimed, before each timed one")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    walls: dict[str, list[float]] = {c: [] for c in args.commands}
    cpus: dict[str, list[float]] = {c: [] for c in args.commands}
    for _ in range(args.runs):
        for command in args.commands:
            if args.before:
                subprocess.run(args.before, shell=True, check=True)
            wall, cpu, code = timed(command)
            if code != 0:
                print(f"failed ({code}): {command}", file=sys.stderr)
                return 1
            walls[command].append(wall)
            cpus[command].append(cpu)
    baseline = statistics.median(walls[args.commands[-1]])
    report = {c: summary(walls[c], cpus[c], baseline) for c in args.commands}
    if args.json:
        print(json.dumps({"runs": args.runs, "commands": report}, indent=2))
        return 0
    print(f"{args.runs} rounds, commands in turn; wall seconds, CPU seconds of the command's processes")
    for command, r in report.items():
        print(f"median {r['median']:.3f} ({r['ratio']:.2f}x)  min {r['min']:.3f}  q1 {r['q1']:.3f}  "
              f"q3 {r['q3']:.3f}  cpu {r['cpu']:.3f}  {command}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
