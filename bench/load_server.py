"""Server-side load bench: N visitors at once speaking Streamlit's own websocket protocol, no browser.

    .venv/bin/python bench/load_server.py [--sessions N] [--seconds S] [--release DIR] [--replicas K] [--json]

bench/load.py drives real Chromium sessions; on one 2-core machine twenty browsers take the cores the server
needs, so its times measure the browsers. This bench measures the server alone: each visitor is a websocket to
/_stcore/stream (what the browser opens), which asks for a page run exactly as the browser's frontend does
(a BackMsg `rerun_script` with the page's query string and script hash) and times it until the server's
`script_finished` message, with every delta of the page received. A visit: a deep link to the Overview with a
border in its address (a new session), then every other page in the sidebar's order in that session, then a
deep link with filters in the URL (another new session). Repeated until --seconds have passed.

An error is a run that does not finish within --step-timeout, a run that ends with an exception element, or a
closed connection. Prints the same figures as bench/load.py (p50/p95/max per kind of step, errors, the server's
RSS and CPU) plus, for comparison, the time of one run with no other visitor. Exit 0 without errors, 1 with
errors, 2 on a usage mistake.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from load import (DEMO_RELEASE, ROOT, Results, UsageError, print_report, report, start_server,  # noqa: E402
                  stop_server)
from proc_usage import Sampler  # noqa: E402

BORDERS = ["CAN-USA", "MEX-USA", "FIN-RUS"]   # borders of the demo release; an unknown one falls back (a run too)
DEEP_LINKS = ["trends?grain=quarter&by=border", "map?layers=crossings,notices"]


class Session:
    """One visitor's websocket session: runs pages and waits for each run's end."""

    def __init__(self, ws):
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.ws, self.back, self.parse = ws, BackMsg, ForwardMsg.FromString
        self.pages: dict[str, str] = {}   # url path ("" for the Overview) -> page script hash

    async def run(self, path: str, query: str, timeout_s: float) -> float:
        """Ask for a run of the page at `path` with `query`; seconds until script_finished."""
        message = self.back()
        message.rerun_script.query_string = query
        message.rerun_script.page_script_hash = self.pages.get(path, "")
        message.rerun_script.page_name = path
        started = time.monotonic()
        await self.ws.send(message.SerializeToString())
        exception, ran = False, ""
        async with asyncio.timeout(timeout_s):
            while True:
                forward = self.parse(await self.ws.recv())
                kind = forward.WhichOneof("type")
                if kind == "navigation":
                    self.pages = {p.url_pathname: p.page_script_hash for p in forward.navigation.app_pages}
                    ran = forward.navigation.page_script_hash
                elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                    exception |= forward.delta.new_element.WhichOneof("type") == "exception"
                elif kind == "script_finished":
                    if forward.script_finished == 1:   # FINISHED_WITH_COMPILE_ERROR
                        raise RuntimeError("compile error")
                    if forward.script_finished != 2:   # not FINISHED_EARLY_FOR_RERUN (a switch_page): done
                        break
        if exception:
            raise RuntimeError("an exception element on the page")
        if path and ran != self.pages.get(path):
            raise RuntimeError(f"asked for /{path}, the server ran another page")
        return time.monotonic() - started


async def visit(url: str, n: int, results: Results, timeout_s: float, until: float, once: bool) -> None:
    import websockets

    stream = url.replace("http://", "ws://") + "/_stcore/stream"
    border = BORDERS[n % len(BORDERS)]

    async def step(session: Session, kind: str, path: str, query: str) -> None:
        try:
            results.add(kind, await session.run(path, query, timeout_s))
        except (TimeoutError, RuntimeError, OSError, websockets.ConnectionClosed) as exc:
            results.errors.append(f"session {n}: {kind} /{path}?{query}: {type(exc).__name__}: {exc}")

    while time.monotonic() < until:
        async with websockets.connect(stream, subprotocols=["streamlit"], max_size=None) as ws:
            session = Session(ws)
            await step(session, "open", "", f"border={border}")
            for path in [p for p in session.pages if p]:
                if time.monotonic() >= until and not once:
                    return
                await step(session, "navigate", path, f"border={border}")
        for link in DEEP_LINKS:
            if time.monotonic() >= until and not once:
                return
            path, _, query = link.partition("?")
            async with websockets.connect(stream, subprotocols=["streamlit"], max_size=None) as ws:
                session = Session(ws)
                await step(session, "open", "", "")           # learn the pages' hashes, as a first load does
                await step(session, "deep link", path, query)
        results.visits += 1
        if once:
            return


async def drive(url: str, sessions: int, seconds: float, timeout_s: float, once: bool = False) -> Results:
    """Every session repeats its visit until `seconds` have passed (or makes one whole visit, `once`)."""
    results = Results()
    until = time.monotonic() + seconds
    await asyncio.gather(*(visit(url, n, results, timeout_s, until, once) for n in range(sessions)))
    return results


def parse_args(argv: list[str] | None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--release", type=Path, default=DEMO_RELEASE)
    parser.add_argument("--replicas", type=int, default=1)
    parser.add_argument("--step-timeout", type=float, default=30)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= 500:
        raise UsageError(f"--sessions must be 1 to 500, not {args.sessions}")
    if not 0 < args.seconds <= 3600:
        raise UsageError(f"--seconds must be more than 0 and at most 3600, not {args.seconds}")
    if not (args.release / "release.json").is_file():
        raise UsageError(f"{args.release} is not a release folder (build the demo one with make demo-release)")
    args.url = None
    return args


def main(argv: list[str] | None = None) -> int:
    try:
        args = parse_args(argv)
    except UsageError as exc:
        print(f"load_server.py: {exc}", file=sys.stderr)
        return 2
    log = ROOT / "build" / "load-server.log"
    log.parent.mkdir(exist_ok=True)
    server, url = start_server(args.release, args.replicas, log)
    try:
        alone = asyncio.run(drive(url, 1, 1, args.step_timeout, once=True))   # one visit alone (warms caches)
        sampler, client = Sampler(server.pid), Sampler(os.getpid(), skip=server.pid)
        sampler.start()
        client.start()
        started = time.monotonic()
        results = asyncio.run(drive(url, args.sessions, args.seconds, args.step_timeout))
        figures = report(results, sampler.summary(), client.summary(), args, time.monotonic() - started)
    finally:
        stop_server(server)
    figures["target"] += " (websocket protocol, no browser)"
    figures["one_visitor_alone"] = {kind: round(sum(t) / len(t), 3) for kind, t in alone.times.items() if t}
    figures["one_visitor_alone_steps"] = {kind: len(t) for kind, t in alone.times.items()}
    figures["errors_alone"] = alone.errors[:5]
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print_report(figures)
        print(f"one visitor alone, mean seconds per step: {figures['one_visitor_alone']}")
    return 1 if figures["errors"] or alone.errors else 0


if __name__ == "__main__":
    sys.exit(main())
