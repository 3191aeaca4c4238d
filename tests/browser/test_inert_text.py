"""Publisher text is inert on every page and view (normal, ?print=true, ?embed=true) in real Chromium.

A release is built with the real CLI from files whose every text field (notice designation, purpose and area;
project name, description and funders; crossing point name and state; the publisher, title and licence of each
file's metadata) holds markdown images and links, HTML, formulas, javascript: URLs and maths that point at a
port on which nothing listens, and script, onerror and onload tags whose alert would open a dialog. Every page and
view is loaded; the test fails on any request to a host other than the app's own, on any link, image or script
made from the data, and on any dialog. The printable and embedded passes also check that every page has a print
view and an embedded view.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import urlparse

import pytest

from support import NOTICE_HEADER, PROJECT_HEADER, run_cli, write

pytestmark = pytest.mark.browser

LEAK = "127.0.0.1:9"   # another host (a port nothing serves): the app itself is on another port
PAYLOADS = [
    f"![img](http://{LEAK}/md-image.png)",
    f"[click](http://{LEAK}/md-link) [js](javascript:alert('md-js'))",
    f'<img src="http://{LEAK}/html-image.png"> <a href="javascript:alert(1)">a</a> <b>bold</b>',
    f"<style>@import url(http://{LEAK}/css);</style>",
    f'=HYPERLINK("http://{LEAK}/formula","x")',
    f"$\\href{{http://{LEAK}/tex}}{{maths}}$ $$x^2$$",
    f"**bold** _it_ :red[red] :material/home: http://{LEAK}/bare",
    "<script>alert('inert-script')</script> <img src=x onerror=alert('inert-onerror')> <svg onload=alert('inert-svg')>",
]
HOSTILE = " ".join(PAYLOADS)
SHORT = PAYLOADS[0] + " " + PAYLOADS[2]   # for fields kept short by their template (a list item, a state)
NOTICE_ID, PROJECT_ID, PORT_CODE = "INERT-2024-1", "INERT-P-1", "2698"

BTS_HEADER = ["Port Name", "State", "Port Code", "Border", "Date", "Measure", "Value", "Latitude", "Longitude"]


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    return buffer.getvalue()


def _sidecar(path: Path) -> None:
    quoted = HOSTILE.replace("\\", "\\\\").replace('"', '\\"')
    write(path.with_name(path.name + ".meta.toml"),
          f'[source]\npublisher = "{quoted}"\ntitle = "{quoted}"\nlicence = "{quoted}"\nurl = "http://{LEAK}/src"\n'
          f'series = "inert-{path.stem}"\nsynthetic = true\n')


def build_hostile_release(folder: Path) -> Path:
    """`borderlens ingest` + `publish` (demo policy) of the hostile files; returns the release folder."""
    inputs = folder / "inputs"
    inputs.mkdir(parents=True)
    notices = write(inputs / "notices.csv", _csv(NOTICE_HEADER, [
        [NOTICE_ID, HOSTILE, HOSTILE, "EST", "EST;LVA", "2024-01-02", "2024-03-01", "2024-03-09", "9500", "300",
         "", "", "", "", "false", "false", "true", HOSTILE, "25.95", "59.25", "", "exact", "true"]]))
    projects = write(inputs / "projects.csv", _csv(PROJECT_HEADER, [
        [PROJECT_ID, HOSTILE, "road", "under_construction", "EST", "EST", f"{SHORT};{SHORT}", "1000000", "EUR",
         "2023-01-01", "2026-01-01", "2023-02-01", "", "27.0", "59.0", "exact", HOSTILE, "true"]]))
    crossings = write(inputs / "bts.csv", _csv(BTS_HEADER, [
        [HOSTILE, "Vermont", PORT_CODE, "US-Canada Border", f"{month} 2024", measure, str(value), "45.01", "-72.1"]
        for month, value in (("Jan", 52_000), ("Feb", 48_000), ("Mar", 61_000))
        for measure in ("Trucks", "Pedestrians")]))
    for path in (notices, projects, crossings):
        _sidecar(path)
    work, release = folder / "work.duckdb", folder / "release"
    run_cli("ingest", notices, projects, crossings, "--db", work)
    run_cli("publish", "--db", work, "--policy", Path(__file__).resolve().parents[2] / "sample_data" / "policy.toml",
            "--out", release)
    return release


@pytest.fixture(scope="module")
def hostile_base(serve_release, tmp_path_factory) -> str:
    return serve_release(build_hostile_release(tmp_path_factory.mktemp("inert")), "inert")


PAGES = ["/", "/map", "/trends", "/trends?by=location", f"/trends?port=USA-{PORT_CODE}", "/ranking", "/notices",
         f"/notices?notice={NOTICE_ID}", "/infrastructure", "/transparency", "/about", "/downloads", "/revisions", "/breakdown"]


def _with(path: str, extra: str) -> str:
    return path + ("&" if "?" in path else "?") + extra if extra else path


def _is_a_print_view(page, path: str) -> None:
    """Every page's printable view (the tour's ?print=true pass; tests/browser/test_print.py prints two to PDF): no
    sidebar, no controls, tabs or scrolling grids, the source line at the top and the bottom."""
    assert page.locator("[data-testid='stSidebar']").count() == 0, path
    main = page.locator("[data-testid='stMain']").inner_text()
    assert main.count("borderlens release") >= 2 and "Printed view of:" in main, path
    for control in ("stSelectbox", "stMultiSelect", "stSlider", "stDownloadButton", "stDataFrame", "stTabs"):
        assert page.locator(f"[data-testid='{control}']").count() == 0, (path, control)


# The one view an embed of these pages shows (tests/browser/test_sharing.py embeds the trends chart)
EMBEDDED_VIEW = {"/": "stDataFrame", "/map": "stDeckGlJsonChart", "/notices": "stVegaLiteChart",
                 "/infrastructure": "stDeckGlJsonChart"}


def _is_an_embed(page, path: str) -> None:
    """Every page's embedded view (the tour's ?embed=true pass): no sidebar, the source line naming the release,
    no sharing panel; the Overview, Map, Notices and Infrastructure show their one view."""
    assert page.locator("[data-testid='stSidebar']").count() == 0, path
    if path in EMBEDDED_VIEW:
        shown = page.locator(f"[data-testid='{EMBEDDED_VIEW[path]}']")
        shown.first.wait_for()   # a busy machine may draw it after the heading
        assert shown.count() == 1, (path, shown.count())
    text = page.locator("[data-testid='stMain']").inner_text()
    assert "Source:" in text and "borderlens release" in text and "Share and cite this view" not in text, path


@pytest.mark.parametrize("view", ["", "print=true", "embed=true"], ids=["normal", "print", "embed"])
def test_data_text_is_inert_on_every_page(visit_on, hostile_base, view):
    tab = visit_on(hostile_base)
    base = urlparse(hostile_base).netloc
    shown = []
    for path in PAGES:
        # the Infrastructure map is drawn in a tab that is hidden until chosen, except when embedded or printed
        drawn = path == "/map" or (path == "/infrastructure" and view != "")
        page = tab.open(_with(path, view), wait_for_map=drawn)
        main = page.locator("[data-testid='stMain']")
        if view == "print=true":
            _is_a_print_view(page, path)
        if view == "embed=true":
            _is_an_embed(page, path)
        shown.append(main.inner_text().replace("\u2060", ""))   # the word joiner that stops autolinks
        # nothing made from the data: no image, link, style or script pointing at the payloads' host
        made = main.locator(f"img[src*='{LEAK}'], a[href*='{LEAK}'], a[href^='javascript'], style, script, "
                            "img[src='x'], [onerror], [onload], [data-testid='stMarkdownContainer'] .katex, iframe")
        assert made.count() == 0, (path, view, made.evaluate_all(
            "es => es.slice(0, 8).map(e => (e.closest('[data-testid]') || e).getAttribute('data-testid') + ': ' + "
            "(e.closest('[data-testid]') || e).innerText.slice(0, 300))"))
        outside = [u for u in tab.requests if urlparse(u).scheme in ("http", "https", "ws", "wss")
                   and urlparse(u).netloc != base]
        assert not outside, f"{path}?{view} made the browser ask another host: {outside[:5]}"
    assert not tab.dialogs
    # the hostile text did reach the pages, as text (else the test would prove nothing)
    text = "\n".join(shown)
    for payload in (f"![img](http://{LEAK}/md-image.png)", f'<img src="http://{LEAK}/html-image.png">',
                    "<script>alert('inert-script')</script>"):
        assert payload in text, f"{payload} is not shown as text in the {view or 'normal'} view"
