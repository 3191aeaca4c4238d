"""Dashboard benchmark at scale: server time and bytes sent per page view, on a published release.

    .venv/bin/python bench/pages.py --crossings N --notices M --projects P [--keep DIR] [--runs R] [--warm K]
                                    [--pages overview,map,...] [--no-browser] [--json]

1. Builds the inputs inside DuckDB (COPY ... TO): N crossing rows in the BTS layout (bench/ingest.py's generator),
   M exercise notices and P infrastructure projects in the borderlens CSV templates (the sample files'
   rows cloned with new ids, the sample's .meta.toml beside them, so they stay synthetic-labelled).
2. `borderlens ingest` (crossings with --profile bts-border-crossings, then notices and projects) into a fresh
   working database, then `borderlens publish --policy sample_data/policy.toml --out DIR/release`: a real
   release, not a hand-made copy. With --keep DIR, inputs and release are reused when the sizes match.
3. Server time, per page, two ways. (a) Direct: the data_pipeline query functions each page calls (pages/*.py, app.py), with the
   page's default parameters (no filter, the whole period, the first measure, all layers), called directly,
   i.e. with Streamlit's st.cache_data layer bypassed. app.py's own loads (release_meta, filter_options,
   release_files, provenance) run before every page and are counted in every page's figure (and shown alone
   as the row "app.py (every page)").
     cold: the first call in a fresh Python process (opens the release database; module imports excluded and
           reported separately); R processes per page -> p50, p95 (p95 = the largest for R < 20);
     warm: K further calls in each of those processes (connection open, DuckDB's caches warm) -> p50, p95.
   (b) Through Streamlit: AppTest runs app.py and switches to the page in a fresh process, as the server does
   for a visitor, st.cache_data included: cold = the first view of the page in the process (the entry page's
   first run before it fills app.py's shared caches and is reported apart), warm = K more views, each a new
   AppTest session (a new visitor, caches warm); R processes per page -> p50, p95. Each AppTest's first run
   (the entry page's) also scans the installed packages for Streamlit components, which a server does once at
   start: timed and printed apart (the figures include it).
4. Bytes per page view (unless --no-browser): `streamlit run app.py` with BORDERLENS_RELEASE on a free port;
   Debian Chromium (/usr/bin/chromium) through Playwright opens each page's address in a fresh tab of one
   browser context (so Streamlit's static bundles come from the browser cache after the first page, as for a
   visitor) and waits until the app is idle. Sums per page view: websocket frame payloads received and sent
   (payloads after permessage-deflate decompression, so an upper bound of the wire), and HTTP response
   bytes (headers + body as transferred, from Playwright's request.sizes()) of everything except /static/;
   the /static/ bytes are reported apart (non-zero only for the first view, with a cold browser cache).
   The wall time from navigation to idle is reported too ("browser s": Streamlit's cache warm after the
   first view of a page in this server, since each page is opened twice and the second view is reported).
5. Prints a table; --json prints the same as JSON. Exit 0 when every page produced figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import ingest as ingest_bench  # noqa: E402  (bench/ingest.py: the BTS-layout generator)
from pages_workers import APPTEST_WORKER, WORKER  # noqa: E402  (bench/pages_workers.py)

from data_pipeline.serve import free_port, healthy  # noqa: E402

SAMPLE = ROOT / "sample_data"
NOTICES = SAMPLE / "notices" / "exercise_notices_demo.csv"
PROJECTS = SAMPLE / "projects" / "infrastructure_projects_demo.csv"
POLICY = SAMPLE / "policy.toml"
GENERATOR_VERSION = 1
# DuckDB may otherwise take 80% of the machine's memory for a 10M-row publish; the cap makes it spill instead
# (an environment variable of the caller's wins). Figures in docs/performance.md, "Publish".
BUILD_ENV = {**os.environ, "BORDERLENS_MEMORY_LIMIT": os.environ.get("BORDERLENS_MEMORY_LIMIT") or "3GB"}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# page label, URL path, the calls the page makes (see WORKER)
PAGES = [
    ("Overview", "/", "overview"),
    ("Map", "/map", "map"),
    ("Crossing trends", "/trends", "trends"),
    ("Crossing points ranked", "/ranking", "ranking"),
    ("Exercise notices", "/notices", "notices"),
    ("Infrastructure", "/infrastructure", "infrastructure"),
    ("Transparency", "/transparency", "transparency"),
    ("About the data", "/about", "about"),
    ("Downloads", "/downloads", "downloads"),
    ("Revisions", "/revisions", "revisions"),
]


# ------------------------------------------------------------------------------------------------ inputs


def _q(text: str) -> str:
    return text.replace("'", "''")


def clone_csv(template: Path, out: Path, rows: int, id_column: str) -> None:
    """`rows` rows of the template, cycled, each with a new unique id (template id + '-' + copy number)."""
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    columns = [r[0] for r in con.execute(
        f"describe select * from read_csv('{_q(str(template))}', all_varchar = true, header = true)").fetchall()]
    select = ", ".join(
        (f"t.\"{c}\" || '-' || lpad((i // n)::varchar, 6, '0') as \"{c}\"" if c == id_column else f't."{c}"')
        for c in columns)
    con.execute(f"""
        copy (
            with t as (select row_number() over () - 1 as r, *
                       from read_csv('{_q(str(template))}', all_varchar = true, header = true)),
                 n as (select count(*) as n from t)
            select {select}
            from range(0, {int(rows)}) g(i), n
            join t on t.r = i % n.n
            order by i
        ) to '{_q(str(out))}' (format csv, header true)
    """)
    con.close()
    meta = template.with_name(template.name + ".meta.toml")
    if meta.is_file():
        text = meta.read_text(encoding="utf-8").replace('series = "', 'series = "bench-')
        out.with_name(out.name + ".meta.toml").write_text(text, encoding="utf-8")


def build_release(workdir: Path, crossings: int, notices: int, projects: int) -> dict:
    """Inputs -> borderlens ingest -> borderlens publish. Reused when the stamp matches."""
    release = workdir / "release"
    stamp = workdir / "release.stamp.json"
    wanted = {"crossings": crossings, "notices": notices, "projects": projects, "version": GENERATOR_VERSION}
    if stamp.is_file() and (release / "release.json").is_file():
        previous = json.loads(stamp.read_text())
        if previous.get("wanted") == wanted:
            return {**previous, "reused": True}
    inputs = workdir / "inputs"
    shutil.rmtree(inputs, ignore_errors=True)
    shutil.rmtree(release, ignore_errors=True)
    (inputs / "crossings").mkdir(parents=True)
    (inputs / "notices").mkdir()
    (inputs / "projects").mkdir()
    steps = {}
    started = time.perf_counter()
    crossings_csv = inputs / "crossings" / f"bts_bench_{crossings}.csv"
    ingest_bench.generate(crossings_csv, crossings, 0.001, 0.0001)
    clone_csv(NOTICES, inputs / "notices" / f"exercise_notices_bench_{notices}.csv", notices, "notice_id")
    clone_csv(PROJECTS, inputs / "projects" / f"infrastructure_projects_bench_{projects}.csv", projects,
              "project_id")
    steps["generate"] = time.perf_counter() - started
    command = ingest_bench.borderlens_command()
    db = workdir / "work.duckdb"
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    for name, argv in (
        ("ingest crossings", [*command, "ingest", str(crossings_csv), "--db", str(db), "--json",
                              "--profile", "bts-border-crossings"]),
        ("ingest notices+projects", [*command, "ingest", str(inputs / "notices"), str(inputs / "projects"),
                                     "--db", str(db), "--json"]),
        ("publish", [*command, "publish", "--db", str(db), "--policy", str(POLICY), "--out", str(release)]),
    ):
        result = ingest_bench.run_child(argv, cwd=ROOT, env=BUILD_ENV)
        if result["returncode"] != 0:
            ingest_bench._fail(name, result)
        steps[name] = result["wall_seconds"]
        steps[name + " peak RSS MB"] = round(result["peak_rss_mb"])
    info = json.loads((release / "release.json").read_text())
    report = {"wanted": wanted, "steps": {k: round(v, 2) for k, v in steps.items()},
              "row_counts": info.get("row_counts"), "release_id": info.get("release_id"),
              "database_mb": round((release / "borderlens.duckdb").stat().st_size / 1e6, 1)}
    stamp.write_text(json.dumps(report))
    return {**report, "reused": False}


# ------------------------------------------------------------------------------------------------ server time


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))  # nearest rank
    return ordered[rank]


def _page_times(worker: str, pages: list[str], release: Path, runs: int, warm: int, label: str) -> dict:
    """Per page: `runs` fresh processes of `worker`, each printing its cold and warm seconds -> p50, p95 in ms
    (plus the median of any other figure the worker reports, e.g. imports)."""
    out = {}
    for page in pages:
        colds, warms, extra = [], [], {}
        for _ in range(runs):
            result = subprocess.run([sys.executable, "-c", worker, page, str(release), str(warm)], cwd=ROOT,
                                    capture_output=True, text=True)
            if result.returncode != 0:
                raise SystemExit(f"page {page} ({label}): {result.stderr[-3000:]}")
            data = json.loads(result.stdout.strip().splitlines()[-1])
            colds.append(data.pop("cold"))
            warms.extend(data.pop("warm"))
            for key, value in data.items():
                extra.setdefault(key, []).append(value)
        out[page] = {"cold_p50_ms": 1000 * percentile(colds, 50), "cold_p95_ms": 1000 * percentile(colds, 95),
                     "warm_p50_ms": 1000 * percentile(warms, 50), "warm_p95_ms": 1000 * percentile(warms, 95),
                     "cold_runs": len(colds), "warm_runs": len(warms),
                     **{f"{key}_ms": 1000 * statistics.median(values) for key, values in extra.items()}}
        print(f"progress: {label} {page} {json.dumps(out[page])}", file=sys.stderr, flush=True)
    return out


def server_times(release: Path, runs: int, warm: int, pages=PAGES) -> dict:
    """Per page: the data_pipeline calls it makes, direct (st.cache_data bypassed)."""
    return _page_times(WORKER, ["app", *(p[2] for p in pages)], release, runs, warm, "server")


def streamlit_times(release: Path, runs: int, warm: int, pages=PAGES) -> dict:
    """Per page: the server's time for a page view through Streamlit (AppTest), cache included."""
    return _page_times(APPTEST_WORKER, [p[2] for p in pages], release, runs, warm, "streamlit")


# ------------------------------------------------------------------------------------------------ browser


def _wait_idle(page) -> None:
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=120_000)
    busy = "[data-testid='stStatusWidget'], [data-testid='stSkeleton']"
    quiet, deadline = 0, time.monotonic() + 180
    while quiet < 4 and time.monotonic() < deadline:
        quiet = quiet + 1 if page.locator(busy).count() == 0 else 0
        page.wait_for_timeout(250)


def _view(context, url: str) -> dict:
    """One page view in a fresh tab: bytes by kind and seconds to idle."""
    page = context.new_page()
    tally = {"ws_received": 0, "ws_sent": 0, "http": 0, "static": 0, "requests": 0}

    def size(payload) -> int:
        return len(payload.encode("utf-8")) if isinstance(payload, str) else len(payload)

    def on_ws(ws):
        ws.on("framereceived", lambda p: tally.__setitem__("ws_received", tally["ws_received"] + size(p)))
        ws.on("framesent", lambda p: tally.__setitem__("ws_sent", tally["ws_sent"] + size(p)))

    finished = []
    page.on("websocket", on_ws)
    page.on("requestfinished", lambda r: finished.append(r))
    started = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded")
    _wait_idle(page)
    seconds = time.perf_counter() - started
    exceptions = page.locator("[data-testid='stException']").count()
    for request in finished:
        try:
            sizes = request.sizes()
        except Exception:  # noqa: BLE001  (a request whose sizes are gone)
            continue
        n = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        kind = "static" if "/static/" in request.url else "http"
        tally[kind] += max(0, n)
        tally["requests"] += 1
    page.close()
    return {**tally, "seconds": seconds, "exceptions": exceptions,
            "page_view_bytes": tally["ws_received"] + tally["ws_sent"] + tally["http"]}


def browser_bytes(release: Path, pages=PAGES) -> dict:
    from playwright.sync_api import sync_playwright

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tempfile.NamedTemporaryFile(prefix="bench-pages-streamlit-", suffix=".log", delete=False)
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--server.enableStaticServing", "true",
         "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "BORDERLENS_RELEASE": str(release)}, stdout=log, stderr=subprocess.STDOUT)
    out = {}
    try:
        deadline = time.monotonic() + 90
        while not healthy(base):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"streamlit did not start; see {log.name}")
            time.sleep(0.2)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            first = None
            for label, path, key in pages:
                views = [_view(context, base + path) for _ in range(2)]  # 1st: server cache cold; 2nd: warm
                if first is None:
                    first = views[0]
                out[key] = {**views[1], "first_view_seconds": views[0]["seconds"],
                            "first_view_bytes": views[0]["page_view_bytes"]}
                print(f"progress: browser {key} {json.dumps(out[key])}", file=sys.stderr, flush=True)
            out["_first_visit_static_bytes"] = first["static"] if first else 0
            browser.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    return out


# ------------------------------------------------------------------------------------------------ report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--crossings", type=int, default=1_000_000)
    parser.add_argument("--notices", type=int, default=10_000)
    parser.add_argument("--projects", type=int, default=5_000)
    parser.add_argument("--keep", type=Path, help="work folder to keep (and reuse) inputs and the release")
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per page (cold figures)")
    parser.add_argument("--warm", type=int, default=10, help="warm calls in each of those processes")
    parser.add_argument("--no-browser", action="store_true", help="skip the bytes-per-page-view measurement")
    parser.add_argument("--pages", default=",".join(p[2] for p in PAGES),
                        help="comma-separated pages to measure (default: all): " + ", ".join(p[2] for p in PAGES))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    wanted = [name.strip() for name in args.pages.split(",") if name.strip()]
    unknown = sorted(set(wanted) - {p[2] for p in PAGES})
    if unknown or not wanted:
        parser.error(f"--pages: unknown page {', '.join(unknown) or '(none given)'}; "
                     f"pages: {', '.join(p[2] for p in PAGES)}")
    pages = [p for p in PAGES if p[2] in wanted]

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="bench-pages-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        report = {"crossings": args.crossings, "notices": args.notices, "projects": args.projects,
                  "runs": args.runs, "warm": args.warm,
                  "machine": {"cpus": os.cpu_count(), "memory_gb": ingest_bench._memory_gb(),
                              "platform": platform.platform(), "python": platform.python_version(),
                              "duckdb": duckdb.__version__, "load_average_before": [round(x, 2) for x in
                                                                                    os.getloadavg()]}}
        report["build"] = build_release(workdir, args.crossings, args.notices, args.projects)
        release = workdir / "release"
        report["release"] = str(release)
        report["server"] = server_times(release, args.runs, args.warm, pages)
        report["streamlit"] = streamlit_times(release, args.runs, args.warm, pages)
        report["browser"] = (None if args.no_browser or not Path(CHROMIUM).exists()
                             else browser_bytes(release, pages))
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    if args.json:
        print(json.dumps(report, indent=2, default=str))
        return 0
    b = report["build"]
    print(f"release: {args.crossings:,} crossing rows, {args.notices:,} notices, {args.projects:,} projects; "
          f"row counts {b.get('row_counts')}; database {b.get('database_mb')} MB"
          + (" (reused)" if b.get("reused") else f"; build steps s {b.get('steps')}"))
    print(f"server time: cold = first call in a fresh process ({args.runs} per page), warm = {args.warm} more "
          "calls in each; st.cache_data bypassed; ms")
    browser = report["browser"] or {}
    header = (f"{'page':<22} {'cold p50':>9} {'cold p95':>9} {'warm p50':>9} {'warm p95':>9} "
              f"{'view KB':>9} {'ws in KB':>9} {'ws out KB':>9} {'http KB':>8} {'browser s':>9}")
    print(header)
    print("-" * len(header))
    for label, _, key in [("app.py (every page)", "", "app"), *pages]:
        s = report["server"][key]
        line = (f"{label:<22} {s['cold_p50_ms']:>9.0f} {s['cold_p95_ms']:>9.0f} "
                f"{s['warm_p50_ms']:>9.1f} {s['warm_p95_ms']:>9.1f}")
        v = browser.get(key)
        if v:
            line += (f" {v['page_view_bytes'] / 1024:>9.1f} {v['ws_received'] / 1024:>9.1f} "
                     f"{v['ws_sent'] / 1024:>9.1f} {v['http'] / 1024:>8.1f} {v['seconds']:>9.2f}"
                     + (" EXCEPTION" if v["exceptions"] else ""))
        elif key != "app":
            line += f" {'-':>9}"
        print(line)
    print(f"\nserver time through Streamlit (AppTest: app.py + the page, st.cache_data included); cold = first "
          f"view of the page in a fresh process, warm = {args.warm} more views, each a new session; ms")
    header = f"{'page':<22} {'cold p50':>9} {'cold p95':>9} {'warm p50':>9} {'warm p95':>9}"
    print(header)
    print("-" * len(header))
    for label, _, key in pages:
        s = report["streamlit"][key]
        print(f"{label:<22} {s['cold_p50_ms']:>9.0f} {s['cold_p95_ms']:>9.0f} {s['warm_p50_ms']:>9.1f} "
              f"{s['warm_p95_ms']:>9.1f}")
    entry = statistics.median(s["entry_cold_ms"] for s in report["streamlit"].values())
    print(f"first run of the entry page in a fresh process (fills app.py's caches; not in cold above unless the "
          f"page is the overview): {entry:.0f} ms")
    scan = statistics.median(s["component_scan_ms"] for s in report["streamlit"].values())
    print(f"of which, in each view of the entry page (the Overview's cold and warm figures, the entry page's first "
          f"run): AppTest's scan of the installed packages for Streamlit components, {scan:.0f} ms (a server scans "
          f"once, at start)")
    imports = statistics.median(s["imports_ms"] for s in report["server"].values())
    print(f"module imports per fresh process (not in cold): {imports:.0f} ms")
    if browser:
        print(f"static bundles on a first visit (cold browser cache, not in 'view KB'): "
              f"{browser['_first_visit_static_bytes'] / 1024:,.0f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
