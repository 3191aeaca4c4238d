"""Load bench: N visitors at once, each a browser session in Debian Chromium, for a bounded time.

    .venv/bin/python bench/load.py [--sessions N] [--seconds S] [--release DIR] [--replicas K]
    .venv/bin/python bench/load.py --url http://127.0.0.1:PORT [--pid PID] [--sessions N] [--seconds S]

Without --url the bench starts `borderlens serve` itself on a free loopback port over --release (default:
build/demo-release, built by `make demo-release`), with --replicas K behind nginx when K > 1, and stops it at the
end. With --url it drives a server already running (one Streamlit, or the load balancer); --pid names that
server's process so that its memory and CPU (with its children's) are measured too.

Each session is a Playwright browser context (its own cookies, so its own Streamlit session and, behind nginx, its
own replica) in one Chromium, and repeats a scripted visit until --seconds have passed (a step started before
then runs to its end, or to its timeout): open the Overview, pick a border in the sidebar, go through every page
by the sidebar's links (the border stays chosen), pick another border on the trends page, then open two deep
links with filters in the URL. Each step is timed from the action to "rendered": the page's own title is the
main heading, the map page's map canvas is there, Streamlit's script has run since the action and is no longer
running (`stApp[data-test-script-state]`), and no running indicator or skeleton is left. An error is a step that
does not render within --step-timeout seconds, an exception box on the page, a JavaScript error, or an HTTP
response of 500 or more.

Prints p50/p95/max time to rendered (all steps and per kind of step), the errors, and the server's memory (RSS
of its process tree: start, peak, end) and CPU (cores used on average), sampled once a second from /proc
(bench/proc_usage.py); the same for the client side (this script, Playwright's driver, Chromium), since on one
machine the browsers compete with the server for the same cores.
Exit 0 when the run had no error, 1 when it had errors, 2 on a usage mistake (one line on stderr).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from proc_usage import Sampler  # noqa: E402  (bench/proc_usage.py)

from data_pipeline.serve import free_port, healthy  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEMO_RELEASE = ROOT / "build" / "demo-release"
BORDERLENS = Path(sys.executable).parent / "borderlens"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}

# The pages in the sidebar's order: URL path -> the page's main heading (pages/*.py and app.py's st.title).
PAGES = {"/": "Overview", "/map": "Map", "/trends": "Crossing trends", "/notices": "Exercise notices",
         "/infrastructure": "Border infrastructure", "/transparency": "What is withheld, and why",
         "/about": "About the data", "/downloads": "Downloads", "/revisions": "Revisions"}
# Deep links with filters in the URL (values allowed by docs/dashboard.md whatever the release holds).
DEEP_LINKS = ["/trends?grain=quarter&by=border", "/map?layers=crossings,notices"]

# "Rendered": true when done, "exception" when an exception box is shown, false while not yet.
RENDERED_JS = """([title, canvas]) => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector("[data-testid='stException']")) return 'exception';
    if (document.querySelector("[data-testid='stStatusWidget'], [data-testid='stSkeleton']")) return false;
    const h1 = document.querySelector("[data-testid='stMain'] h1");
    if (!h1 || !h1.innerText.includes(title)) return false;
    if (canvas && !document.querySelector("[data-testid='stDeckGlJsonChart'] canvas")) return false;
    return true;
}"""
STATE_JS = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    const h1 = document.querySelector("[data-testid='stMain'] h1");
    return `script ${app ? app.getAttribute('data-test-script-state') : 'no app'}, ` +
           `connection ${app ? app.getAttribute('data-test-connection-state') : '-'}, ` +
           `heading ${h1 ? JSON.stringify(h1.innerText.slice(0, 40)) : 'none'}, ` +
           `running indicator ${!!document.querySelector("[data-testid='stStatusWidget']")}, ` +
           `skeletons ${document.querySelectorAll("[data-testid='stSkeleton']").length}`;
}"""


class UsageError(Exception):
    """A mistake in the command line or its files: one line on stderr, exit 2."""


@dataclass
class Results:
    times: dict[str, list[float]] = field(default_factory=dict)   # kind of step -> seconds to rendered
    errors: list[str] = field(default_factory=list)
    visits: int = 0   # scripted visits completed

    def add(self, kind: str, seconds: float) -> None:
        self.times.setdefault(kind, []).append(seconds)


# ---------------------------------------------------------------------------------------------- the server


def start_server(release: Path, replicas: int, log_path: Path) -> tuple[subprocess.Popen, str]:
    """`borderlens serve` on a free loopback port; returns it once /_stcore/health answers (60 s at most)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [str(BORDERLENS), "serve", "--release", str(release), "--port", str(port), "--address", "127.0.0.1",
               "--replicas", str(replicas)]
    log = open(log_path, "w")
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while not healthy(url):
        if process.poll() is not None or time.monotonic() > deadline:
            stop_server(process)
            raise UsageError(f"the server did not start; see {log_path}")
        time.sleep(0.2)   # polling the health address, bounded by the deadline above
    return process, url


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# ---------------------------------------------------------------------------------------------- the visitors


class Runs:
    """Counts the script runs the server finished for one tab: each `script_finished` message on its websocket
    (Streamlit's ForwardMsg protobuf). A step is rendered only after a run that finished after the action."""

    def __init__(self):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.parse, self.finished, self.changed = ForwardMsg.FromString, 0, asyncio.Event()

    def frame(self, payload) -> None:
        if isinstance(payload, bytes) and self.parse(payload).WhichOneof("type") == "script_finished":
            self.finished += 1
            self.changed.set()

    async def after(self, before: int) -> None:
        while self.finished <= before:
            self.changed.clear()
            await self.changed.wait()


async def rendered(page, runs: Runs, before: int, title: str, canvas: bool, timeout_s: float) -> None:
    started = time.monotonic()
    await asyncio.wait_for(runs.after(before), timeout_s)
    left = max(0.1, timeout_s - (time.monotonic() - started))
    state = await page.wait_for_function(RENDERED_JS, arg=[title, canvas], polling=50, timeout=left * 1000)
    if await state.json_value() == "exception":
        text = await page.locator("[data-testid='stException']").first.inner_text()
        raise RuntimeError(f"exception on the page: {text[:200]}")


def first_line(exc: BaseException) -> str:
    text = (str(exc) or type(exc).__name__).splitlines()[0][:300]
    return text if isinstance(exc, RuntimeError) else f"{type(exc).__name__}: {text}"


async def page_state(page) -> str:
    """What the page showed when a step failed: script state, runs counted, main heading (for the error line)."""
    try:
        return await page.evaluate(STATE_JS)
    except Exception as exc:
        return f"page state unknown ({type(exc).__name__})"


async def pick_border(page, index: int) -> None:
    """Choose a border in the sidebar's Border selector, as a visitor clicks it: the index-th border (past the
    first option, "All borders"), or "All borders" when that one is already chosen (a click must change it)."""
    await page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    options = page.locator("[role='option']")
    await options.first.wait_for(state="visible")
    count = await options.count()
    option = options.nth(1 + index % (count - 1)) if count > 1 else options.first
    if await option.get_attribute("aria-selected") == "true":
        option = options.first
    await option.click()


async def visit(page, runs: Runs, base: str, n: int, results: Results, step_timeout: float,
                deadline: float) -> None:
    """One scripted visit; every step is timed to rendered. Stops between steps once the deadline has passed."""
    steps = [("open", "/", None)]
    steps += [("filter", "/", 1 + n)]
    steps += [("navigate", path, None) for path in list(PAGES)[1:3]]
    steps += [("filter", "/trends", 2 + n)]
    steps += [("navigate", path, None) for path in list(PAGES)[3:]]
    steps += [("deep link", link, None) for link in DEEP_LINKS]
    for kind, path, border in steps:
        if time.monotonic() > deadline:
            return
        title = PAGES[path.split("?")[0]]
        before = runs.finished
        started = time.perf_counter()
        try:
            if kind in ("open", "deep link"):
                await page.goto(base + path, wait_until="commit")
            elif kind == "navigate":
                await page.locator(f"[data-testid='stSidebarNav'] a[href$='{path}']").first.click()
            else:
                await pick_border(page, border)
            left = step_timeout - (time.perf_counter() - started)   # one budget for the action and the render
            await rendered(page, runs, before, title, path.startswith("/map"), max(left, 0.1))
        except Exception as exc:
            raise RuntimeError(f"{kind} {path}: {await page_state(page)}: {first_line(exc)}") from None
        results.add(kind, time.perf_counter() - started)
    results.visits += 1


async def open_session(browser, n: int, results: Results, step_timeout: float):
    """A browser context and tab for visitor n, with the handlers that count its errors: (context, page, runs)."""
    context = await browser.new_context(viewport=VIEWPORT)
    page = await context.new_page()
    runs = Runs()
    page.on("websocket", lambda ws: ws.on("framereceived", runs.frame))
    page.set_default_timeout(step_timeout * 1000)
    page.on("pageerror", lambda exc: results.errors.append(f"session {n}: JavaScript error: {exc}"))
    page.on("response", lambda r: r.status >= 500 and results.errors.append(f"session {n}: HTTP {r.status} {r.url}"))
    return context, page, runs


async def session(page, runs: Runs, base: str, n: int, results: Results, step_timeout: float,
                  deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            await visit(page, runs, base, n, results, step_timeout, deadline)
        except Exception as exc:   # a timeout or an exception box: counted, then the next visit starts afresh
            results.errors.append(f"session {n}: {first_line(exc)}")


async def drive(base: str, sessions: int, seconds: float, step_timeout: float) -> Results:
    """Every session's tab is opened first; the --seconds start when all are ready, so that a slow start of the
    browser (a busy machine) does not eat the time the visitors have."""
    from playwright.async_api import async_playwright

    results = Results()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            opened = await asyncio.gather(*(open_session(browser, n, results, step_timeout) for n in range(sessions)))
            deadline = time.monotonic() + seconds
            try:
                await asyncio.gather(*(session(page, runs, base, n, results, step_timeout, deadline)
                                       for n, (_, page, runs) in enumerate(opened)))
            finally:
                for context, _, _ in opened:
                    await context.close()
        finally:
            await browser.close()
    return results


# ---------------------------------------------------------------------------------------------- report


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by the nearest-rank method: a time some step really took."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(-(-q * len(ordered) // 1)) - 1))]


def report(results: Results, usage: dict | None, client: dict, args, wall: float) -> dict:
    every = [t for times in results.times.values() for t in times]
    rows = {kind: times for kind, times in [("all steps", every), *results.times.items()]}
    return {
        "sessions": args.sessions, "seconds": args.seconds, "wall_seconds": round(wall, 1),
        "target": args.url or f"borderlens serve --replicas {args.replicas}",
        "machine": {"cpus": os.cpu_count(), "load_average_end": [round(x, 2) for x in os.getloadavg()],
                    "python": platform.python_version(), "system": platform.platform()},
        "visits_completed": results.visits,
        "steps": {kind: {"n": len(times), "p50_s": round(statistics.median(times), 3) if times else None,
                         "p95_s": round(percentile(times, 0.95), 3) if times else None,
                         "max_s": round(max(times), 3) if times else None} for kind, times in rows.items()},
        "errors": len(results.errors), "error_samples": results.errors[:10],
        "server": usage, "client": client,
    }


def print_report(figures: dict) -> None:
    print(f"{figures['sessions']} sessions for {figures['seconds']} s against {figures['target']} "
          f"(ran {figures['wall_seconds']} s; {figures['machine']['cpus']} CPUs, load average at the end "
          f"{figures['machine']['load_average_end']})")
    print(f"{'step':<12} {'n':>6} {'p50 s':>8} {'p95 s':>8} {'max s':>8}")
    for kind, row in figures["steps"].items():
        if row["n"]:
            print(f"{kind:<12} {row['n']:>6} {row['p50_s']:>8.3f} {row['p95_s']:>8.3f} {row['max_s']:>8.3f}")
    print(f"visits completed: {figures['visits_completed']}")
    print(f"errors: {figures['errors']}")
    for line in figures["error_samples"]:
        print(f"  {line}")
    server = figures["server"]
    if server:
        print(f"server: RSS {server['rss_mb_start']} MB at start, {server['rss_mb_peak']} MB at peak, "
              f"{server['rss_mb_end']} MB at the end ({server['processes']} processes); "
              f"CPU {server['cpu_cores_avg']} cores on average")
    else:
        print("server: not measured (give --pid with --url)")
    client = figures["client"]
    print(f"client (this script, Playwright, Chromium): RSS peak {client['rss_mb_peak']} MB "
          f"({client['processes']} processes); CPU {client['cpu_cores_avg']} cores on average")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):   # argparse's own usage errors: one line, exit 2
        self.exit(2, f"load.py: {message} (see load.py --help)\n")


def parse_args(argv: list[str] | None):
    parser = _Parser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5, help="concurrent browser sessions (default 5)")
    parser.add_argument("--seconds", type=float, default=60, help="how long new steps start (default 60)")
    parser.add_argument("--release", type=Path, default=DEMO_RELEASE, help="release folder to serve")
    parser.add_argument("--replicas", type=int, default=1, help="replicas behind nginx when > 1 (default 1)")
    parser.add_argument("--url", help="drive a server already running at this address instead of starting one")
    parser.add_argument("--pid", type=int, help="with --url: the server's process id, to measure its memory and CPU")
    parser.add_argument("--step-timeout", type=float, default=30, help="seconds a step may take (default 30)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= 200:
        raise UsageError(f"--sessions must be 1 to 200, not {args.sessions}")
    if not 0 < args.seconds <= 3600:
        raise UsageError(f"--seconds must be more than 0 and at most 3600, not {args.seconds}")
    if not 1 <= args.replicas <= 32:
        raise UsageError(f"--replicas must be 1 to 32, not {args.replicas}")
    if args.pid is not None and not Path(f"/proc/{args.pid}").is_dir():
        raise UsageError(f"--pid {args.pid}: no such process")
    if args.url is None and not (args.release / "release.json").is_file():
        raise UsageError(f"{args.release} is not a release folder (build the demo one with make demo-release)")
    if not Path(CHROMIUM).exists():
        raise UsageError(f"{CHROMIUM} is not installed (apt-get install chromium)")
    return args


def main(argv: list[str] | None = None) -> int:
    try:
        args = parse_args(argv)
        server = None
        if args.url is None:
            log = ROOT / "build" / "load-server.log"
            log.parent.mkdir(exist_ok=True)
            server, url = start_server(args.release, args.replicas, log)
            pid: int | None = server.pid
        else:
            url, pid = args.url.rstrip("/"), args.pid
            if not healthy(url):
                raise UsageError(f"--url {url}: no Streamlit answers at {url}/_stcore/health")
    except UsageError as exc:
        print(f"load.py: {exc}", file=sys.stderr)
        return 2
    try:
        sampler = Sampler(pid) if pid else None
        client = Sampler(os.getpid(), skip=pid)   # this script, Playwright's driver and Chromium
        for each in (sampler, client):
            if each:
                each.start()
        started = time.monotonic()
        results = asyncio.run(drive(url, args.sessions, args.seconds, args.step_timeout))
        wall = time.monotonic() - started
        figures = report(results, sampler.summary() if sampler else None, client.summary(), args, wall)
    finally:
        if server is not None:
            stop_server(server)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print_report(figures)
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
