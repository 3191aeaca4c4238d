"""Browser harness: one `streamlit run app.py` per test session on a real release, driven by Debian Chromium.

- The release is the one the AppTests use (tests/test_app_release.py: real `borderlens ingest` + `publish`,
  with hostile seed text), built once per session for every test worker.
- The server starts on a free local port with BORDERLENS_RELEASE set; the fixture waits for /_stcore/health.
- Chromium is /usr/bin/chromium through Playwright (never `playwright install`), with the flags of
  shared/FIELD_NOTES.md.
- A module that needs another release (e.g. the seeded secret release) starts its own server with
  `serve_release(path)` and opens tabs on it with `visit_on(url)`; neither needs the default release.
- Each test gets a `visit` object that records every websocket frame, HTTP request and response and every
  JavaScript dialog of its page; `visit.open(path)` waits until the page is ready and fails on any exception
  element. A failing test leaves a screenshot of its tab in test-artifacts/ (a whole-page shot of every page
  visited cost about a fifth of a tour of the pages in CPU, 4-5 s for the map, for pictures nobody looked at).
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

TESTS = Path(__file__).resolve().parent.parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from data_pipeline.serve import free_port, healthy  # noqa: E402
from test_app_release import REPO, build_release  # noqa: E402

ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 1000}
PAGE_TIMEOUT_MS = 60_000   # the most any one condition below is waited for (a ceiling, not a wait)
BUSY = "[data-testid='stStatusWidget'], [data-testid='stSkeleton']"
# True once Streamlit shows no running widget and no element has changed for `quiet` ms.
SETTLED_JS = """([busy, quiet]) => {
    if (!window.__blObserver) {
        window.__blChanged = performance.now();
        window.__blObserver = new MutationObserver(() => { window.__blChanged = performance.now(); });
        window.__blObserver.observe(document.body, {subtree: true, childList: true, attributes: true,
                                                    characterData: true});
    }
    if (document.querySelector(busy)) { window.__blChanged = performance.now(); return false; }
    return performance.now() - window.__blChanged >= quiet;
}"""
# True when the map's tooltip is visible and shows the wanted text.
TOOLTIP_JS = """(wanted) => {
    const tip = document.querySelector('.deck-tooltip');
    return !!tip && tip.offsetParent !== null && tip.innerText.includes(wanted);
}"""


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so that a tab's teardown knows whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser_release(tmp_path_factory) -> str:
    return build_release(tmp_path_factory)


@pytest.fixture(scope="session")
def server(browser_release):
    """The dashboard on a free port; yields its base URL. Stops only the process it started."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    with _streamlit(browser_release, "streamlit-server.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Chromium for the session; needs no server (a module may serve a release of its own: `serve_release`)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    except Exception as exc:  # an unusable browser is an environment problem, not a failing page
        playwright.stop()
        pytest.skip(f"cannot launch {CHROMIUM}: {exc}")
    yield chromium
    chromium.close()
    playwright.stop()


@dataclass
class Visit:
    """One browser tab and everything it saw."""

    page: object
    base: str
    name: str
    frames: list = field(default_factory=list)        # websocket frames received (bytes or str)
    requests: list = field(default_factory=list)      # URLs requested
    responses: list = field(default_factory=list)     # (status, URL)
    dialogs: list = field(default_factory=list)       # alert/confirm/prompt messages (must stay empty)
    shots: int = 0

    def open(self, path: str = "/", wait_for_map: bool = False, settle_ms: int = 800):
        """Go to base+path, wait until Streamlit is idle, fail on exceptions, save a screenshot."""
        self.page.goto(self.base + path, wait_until="domcontentloaded")
        self.wait(wait_for_map, settle_ms)
        return self.page

    def wait(self, wait_for_map: bool = False, settle_ms: int = 800) -> None:
        """Wait for conditions, never for a fixed time: the app and its first heading (h1; h4 in an embed) are there (and the map's
        canvas), then the page is settled: no running status widget or skeleton, and no change to the page's
        elements for settle_ms in a row (timed in the page). Each wait gives up after PAGE_TIMEOUT_MS."""
        page = self.page
        page.wait_for_selector("[data-testid='stApp']", timeout=PAGE_TIMEOUT_MS)
        # a page's title, or the one-line heading of an embedded view (?embed=true)
        page.wait_for_selector("[data-testid='stMain'] h1, [data-testid='stMain'] h4", timeout=PAGE_TIMEOUT_MS)
        if wait_for_map:
            page.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", timeout=PAGE_TIMEOUT_MS)
        self.settled(settle_ms)
        self.check()

    def settled(self, quiet_ms: int = 800) -> None:
        """Until Streamlit is idle and the page's elements have not changed for quiet_ms (a MutationObserver
        in the page records the last change)."""
        self.page.wait_for_function(SETTLED_JS, arg=[BUSY, quiet_ms], polling=100, timeout=PAGE_TIMEOUT_MS)

    def hover_text(self, x: float, y: float, offsets, wanted: str, timeout_ms: int = 1_500) -> str:
        """Move the mouse to (x, y) + each offset until the map's tooltip shows `wanted`; the tooltip's text
        (last seen) is returned. Each offset waits for the tooltip, not for a fixed time."""
        tooltip, found = self.page.locator(".deck-tooltip"), ""
        for dx, dy in offsets:
            self.page.mouse.move(x + dx, y + dy)
            try:
                self.page.wait_for_function(TOOLTIP_JS, arg=wanted, polling=50, timeout=timeout_ms)
            except PlaywrightTimeout:
                pass
            if tooltip.count() and tooltip.first.is_visible():
                found = tooltip.first.inner_text()
                if wanted in found:
                    break
        return found

    def check(self) -> None:
        exceptions = self.page.locator("[data-testid='stException']")
        if exceptions.count() or self.dialogs:
            self.screenshot("-failed")
        assert exceptions.count() == 0, exceptions.first.inner_text()
        assert not self.dialogs, f"a dialog fired: {self.dialogs}"

    def screenshot(self, suffix: str = "", whole: bool = True) -> Path:
        """Save test-artifacts/<test>-NN<suffix>.png. Streamlit scrolls inside its main block, so for the whole
        page the window is made as tall as the content for the shot, then put back."""
        self.shots += 1
        path = ARTIFACTS / f"{self.name}-{self.shots:02d}{suffix}.png"
        height = VIEWPORT["height"]
        if whole:
            height = self.page.evaluate(
                "() => Math.max(...[...document.querySelectorAll(\"[data-testid='stMain'], "
                "[data-testid='stMain'] *\")].map(e => e.scrollHeight))")
            height = max(VIEWPORT["height"], min(int(height) + 120, 8000))
        if height != VIEWPORT["height"]:
            self.page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
            self.settled(400)   # laid out again at the new size
        try:
            self.page.screenshot(path=str(path))
        finally:
            if height != VIEWPORT["height"]:
                self.page.set_viewport_size(VIEWPORT)
        return path

    def frames_text(self) -> str:
        return "\n".join(f.decode("utf-8", "replace") if isinstance(f, bytes) else f for f in self.frames)


@pytest.fixture
def visit(browser, server, request):
    yield from _recorded_tab(browser, server, request)


def new_context(browser):
    """A browser context (its own cookies: a new visitor) of the tests' viewport, where every action (a click, a
    screenshot, a PDF) gets PAGE_TIMEOUT_MS as its ceiling, not Playwright's 30 s."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    return context


def _recorded_tab(browser, base: str, request):
    """A new tab that records what it sees (the body of `visit` and `visit_on`); closes it and checks at the end."""
    ARTIFACTS.mkdir(exist_ok=True)
    context = new_context(browser)
    page = context.new_page()
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    v = Visit(page=page, base=base, name=name)

    def on_dialog(dialog):
        v.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: v.frames.append(payload)))
    page.on("request", lambda r: v.requests.append(r.url))
    page.on("response", lambda r: v.responses.append((r.status, r.url)))
    yield v
    try:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            try:
                v.screenshot("-failed")   # the tab as the failing assertion left it
            except PlaywrightError as exc:  # a crashed or closed tab: the test's own failure is what matters
                print(f"no screenshot of the failed tab: {exc}")
        if not v.dialogs:
            assert page.locator("[data-testid='stException']").count() == 0
    finally:
        context.close()
    assert not v.dialogs, f"a dialog fired: {v.dialogs}"


@contextmanager
def framed(browser, url: str, width: int, height: int, viewport: dict):
    """A new tab (of viewport's size) whose page is just an iframe of url, width x height px at its top left and
    without a border, as a web page embeds a view; yields (tab, the frame's locator) and closes the tab."""
    page = browser.new_page(viewport=viewport)
    page.set_default_timeout(PAGE_TIMEOUT_MS)   # Playwright's 30 s ran out for a screenshot on a busy machine
    try:
        src = html.escape(url, quote=True)
        page.set_content(f'<html><body style="margin:0"><iframe src="{src}" width="{width}" height="{height}" '
                         f'style="border:0;display:block"></iframe></body></html>')
        yield page, page.frame_locator("iframe")
    finally:
        page.close()


@contextmanager
def _streamlit(release: str, log_name: str):
    """`streamlit run app.py` against RELEASE on a free port, as `server` starts it; yields the base URL and
    stops only the process it started."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    ARTIFACTS.mkdir(exist_ok=True)
    with open(ARTIFACTS / log_name, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--server.enableStaticServing", "true",
             "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
            cwd=REPO, env={**os.environ, "BORDERLENS_RELEASE": str(release)},
            stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while not healthy(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start; see {log.name}")
                time.sleep(0.2)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="module")
def serve_release(browser):
    """serve_release(release_dir, name) -> base URL of a server of its own for another release (e.g. the seeded
    secret release of tests/conftest.py), started once per module and release, stopped after the module. Open
    pages on it with `visit_on(url)`."""
    urls: dict[str, str] = {}
    with ExitStack() as stack:
        def start(release, name: str = "release") -> str:
            if str(release) not in urls:
                urls[str(release)] = stack.enter_context(_streamlit(str(release), f"streamlit-{name}.log"))
            return urls[str(release)]
        yield start


@pytest.fixture
def visit_on(browser, request):
    """visit_on(base_url) -> a Visit like `visit`'s (same recording and checks) on another server, e.g. one
    `serve_release` started; needs neither `server` nor the default release."""
    tabs = []

    def open_tab(base: str) -> Visit:
        tabs.append(_recorded_tab(browser, base, request))
        return next(tabs[-1])

    yield open_tab
    for tab in tabs:
        for _ in tab:  # runs the tab's closing checks and closes it
            pass
