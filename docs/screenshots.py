"""Renew the README's screenshots from a real release in Debian Chromium: `python docs/screenshots.py`.

Serves the release with `borderlens serve` on a free loopback port, opens each view below, waits until Streamlit
has finished the page (no running script, no skeleton, its heading, the map's canvas where there is one, and
no change to the page for a moment), and saves a PNG. The embed is shot as a reader sees it: inside an 800 x 520
iframe of another page. Screenshots are what the README shows, so they are made from the demo release, never
from a working database.

    python docs/screenshots.py [--release build/demo-release] [--out docs/screenshots] [--only overview,map]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from load import CHROMIUM, CHROMIUM_ARGS, UsageError, start_server, stop_server  # noqa: E402  (bench/load.py)

from data_pipeline.views.embeds import IFRAME_HEIGHT, IFRAME_WIDTH  # noqa: E402

VIEWPORT = {"width": 1400, "height": 900}
WAIT_MS = 120_000   # a ceiling on each wait for a condition, not a wait
# name -> (address, whether the view draws a map): the views the README shows, with the filters it describes
SHOTS = {
    "overview": ("/", False),
    "trends": ("/trends?measure=pedestrians&by=border&from=2023-01&to=2025-02", False),
    "map": ("/map?layers=crossings,notices,projects", True),
    "notices": ("/notices", False),
    "downloads": ("/downloads", False),
    "embed-map": ("/map?layers=crossings,notices,projects&embed=true", True),
}
# True once the app has finished its run, shows its heading (h1; h4 in an embed) and, when asked, a map canvas,
# and no element has changed for `quiet` ms.
READY_JS = """([canvas, quiet]) => {
    if (!window.__shotObserver) {
        window.__shotChanged = performance.now();
        window.__shotObserver = new MutationObserver(() => { window.__shotChanged = performance.now(); });
        window.__shotObserver.observe(document.body, {subtree: true, childList: true, attributes: true,
                                                      characterData: true});
    }
    const app = document.querySelector("[data-testid='stApp']");
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector("[data-testid='stException']")) return 'exception';
    if (document.querySelector("[data-testid='stStatusWidget'], [data-testid='stSkeleton']")) return false;
    if (!document.querySelector("[data-testid='stMain'] h1, [data-testid='stMain'] h4")) return false;
    if (canvas && !document.querySelector("[data-testid='stDeckGlJsonChart'] canvas")) return false;
    return performance.now() - window.__shotChanged >= quiet;
}"""


def _ready(frame, canvas: bool, name: str) -> None:
    result = frame.wait_for_function(READY_JS, arg=[canvas, 1500], polling=100, timeout=WAIT_MS).json_value()
    if result == "exception":
        raise UsageError(f"the view {name} shows an exception; not saved")


def take(release: Path, out: Path, names: list[str]) -> list[Path]:
    """Serve the release, shoot each named view into out/<name>.png; returns the files written."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    log = Path(tempfile.mkdtemp(prefix="borderlens-shots-")) / "serve.log"
    server, url = start_server(release, 1, log)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                for name in names:
                    address, canvas = SHOTS[name]
                    page = browser.new_page(viewport=VIEWPORT)
                    target = out / f"{name}.png"
                    if "embed=true" in address:   # as a reader sees it: an iframe in another page
                        page.set_viewport_size({"width": IFRAME_WIDTH + 40, "height": IFRAME_HEIGHT + 40})
                        page.set_content(f'<body style="margin:20px"><iframe src="{url}{address}" '
                                         f'width="{IFRAME_WIDTH}" height="{IFRAME_HEIGHT}" style="border:0">'
                                         "</iframe></body>")
                        frame = page.locator("iframe").element_handle().content_frame()
                        _ready(frame, canvas, name)
                        page.screenshot(path=str(target), timeout=WAIT_MS, animations="disabled")
                    else:
                        page.goto(url + address, wait_until="domcontentloaded")
                        _ready(page, canvas, name)
                        page.screenshot(path=str(target), timeout=WAIT_MS, animations="disabled")
                    page.close()
                    written.append(target)
            finally:
                browser.close()
    finally:
        stop_server(server)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", type=Path, default=ROOT / "build" / "demo-release")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", default=",".join(SHOTS), help="comma-separated names: " + ", ".join(SHOTS))
    args = parser.parse_args(argv)
    names = [n for n in args.only.split(",") if n]
    try:
        unknown = [n for n in names if n not in SHOTS]
        if unknown:
            raise UsageError(f"--only: no view named {', '.join(unknown)} (known: {', '.join(SHOTS)})")
        if not (args.release / "release.json").is_file():
            raise UsageError(f"{args.release} is not a release folder (make demo-release builds the demo one)")
        if not Path(CHROMIUM).exists():
            raise UsageError(f"{CHROMIUM} not found (apt-get install chromium)")
        for path in take(args.release, args.out, names):
            print(path)
    except UsageError as exc:
        print(f"screenshots: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
