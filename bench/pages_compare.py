"""Page views through Streamlit of two versions of the dashboard, measured in the same hour, in turns.

    .venv/bin/python bench/pages_compare.py --base-tree DIR --base-release DIR --release DIR
                                            [--pages overview,trends,...] [--rounds R] [--warm K]

Why: on this shared 2-core machine the same code's warm figures move by 10-30% between hours, and each figure of
bench/pages.py is one run. To say whether a change made a page slower, both versions run here in alternating
fresh processes (base, this one, base, ...) on their own 10M releases, with the same Python, the same installed
packages and the same measuring code, so that the hour's noise falls on both.

- --base-tree: a checkout of the earlier version (`git worktree add DIR REV`); its release built by its own
  bench (`bench/pages.py --keep`), since the release format changes between versions. --release: this
  checkout's release.
- Each process is bench/pages.py's AppTest measurement (bench/pages_workers.py): app.py's first run, the page's
  cold view, then K warm views, each a new AppTest session. The worker is the same text for both versions; only
  the modules it imports before timing differ (the query modules moved between versions), so that the cold
  figure excludes module imports in both.
- Per version and page: cold p50/p95 over R processes, warm p50/p95 over R*K views (nearest rank), and AppTest's
  component scan (which a server does once, at start) apart.
Exit 0 when every process ran.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from pages import percentile  # noqa: E402
from pages_workers import APPTEST_WORKER  # noqa: E402

# The modules each version's own bench imported before timing (queries moved into data_pipeline.views later).
THIS_IMPORTS = "import data_pipeline.views.queries, data_pipeline.views.charts, data_pipeline.views.downloads"
OLD_IMPORTS = "import data_pipeline.queries, data_pipeline.charts, data_pipeline.downloads"


def worker_for(tree: Path) -> str:
    """The AppTest worker with the query modules of the version in `tree`."""
    if (tree / "data_pipeline" / "views" / "queries.py").is_file():
        return APPTEST_WORKER
    return APPTEST_WORKER.replace(THIS_IMPORTS, OLD_IMPORTS)


def one_process(tree: Path, release: Path, page: str, warm: int) -> dict:
    result = subprocess.run([sys.executable, "-c", worker_for(tree), page, str(release), str(warm)], cwd=tree,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{tree} {page}: {result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-tree", type=Path, required=True)
    parser.add_argument("--base-release", type=Path, required=True)
    parser.add_argument("--release", type=Path, required=True)
    parser.add_argument("--pages", default="overview,trends,notices")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warm", type=int, default=10)
    args = parser.parse_args(argv)
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    versions = {"base": (args.base_tree.resolve(), args.base_release.resolve()),
                "this": (ROOT, args.release.resolve())}
    for name, (tree, release) in versions.items():
        missing = [str(p) for p in (tree / "app.py", release / "release.json") if not p.is_file()]
        missing += [f"{tree}/pages/{p}.py" for p in pages if p != "overview" and not (tree / "pages" / f"{p}.py").is_file()]
        if missing:
            print(f"pages_compare: {name}: not found: {', '.join(missing)}", file=sys.stderr)
            return 2
    figures: dict = {name: {page: {"cold": [], "warm": [], "scan": []} for page in pages} for name in versions}
    for round_number in range(args.rounds):
        for page in pages:
            order = list(versions) if round_number % 2 == 0 else list(reversed(versions))
            for name in order:
                tree, release = versions[name]
                data = one_process(tree, release, page, args.warm)
                figures[name][page]["cold"].append(data["cold"])
                figures[name][page]["warm"].extend(data["warm"])
                figures[name][page]["scan"].append(data.get("component_scan", 0.0))
        print(f"progress: round {round_number + 1} of {args.rounds}", file=sys.stderr, flush=True)
    header = (f"{'page':<10} {'version':<6} {'cold p50':>9} {'cold p95':>9} {'warm p50':>9} {'warm p95':>9} "
              f"{'scan':>6}  (ms; {args.rounds} processes, {args.rounds * args.warm} warm views each)")
    print(header)
    report = {}
    for page in pages:
        for name in versions:
            f = figures[name][page]
            row = {"cold_p50": percentile(f["cold"], 50), "cold_p95": percentile(f["cold"], 95),
                   "warm_p50": percentile(f["warm"], 50), "warm_p95": percentile(f["warm"], 95),
                   "scan": statistics.median(f["scan"])}
            report.setdefault(page, {})[name] = row
            print(f"{page:<10} {name:<6} " + " ".join(f"{1000 * row[k]:>9.0f}" for k in
                                                      ("cold_p50", "cold_p95", "warm_p50", "warm_p95"))
                  + f" {1000 * row['scan']:>6.0f}")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
