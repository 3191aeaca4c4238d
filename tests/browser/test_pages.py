"""The dashboard in real Chromium: every page renders, the map draws offline, tooltips are text (that no text from
the data runs as a script, on any page or view, is tests/browser/test_inert_text.py)."""

from __future__ import annotations

import io
import math
import re
from datetime import date
from urllib.parse import urlparse

import pytest
from PIL import Image

from conftest import PAGE_TIMEOUT_MS
from test_app_release import REPO, XSS_PORT, XSS_PORT_CODE

pytestmark = pytest.mark.browser

# Every page: one per file in pages/ (read from the folder, so that a new page cannot be left out); the Overview
# (pages/overview.py) is the default page, at "/". The Map is rendered by test_the_map_renders_and_draws_offline.
PAGES = ["/", *(f"/{p.stem}" for p in sorted((REPO / "pages").glob("*.py")) if p.stem != "overview")]
# Each page's title in the navigation, as app.py declares it: the browser tab starts with it
NAV_TITLES = {("/" if page == "overview" else f"/{page}"): title for page, title in
              re.findall(r'st\.Page\("pages/(\w+)\.py", title="([^"]+)"', (REPO / "app.py").read_text(encoding="utf-8"))}
HOSTILE_MAP = "/map?border=MEX-USA&layers=crossings&measure=pedestrians&from=2024-01&to=2024-06"


def _world(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    """deck.gl Web Mercator world pixels (512-pixel tiles) of a lon/lat at a zoom."""
    scale = 512 * 2 ** zoom
    x = scale * (lon + 180) / 360
    y = scale * (1 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2
    return x, y


def _canvas_pixels(visit) -> Image.Image:
    canvas = visit.page.locator("[data-testid='stDeckGlJsonChart'] canvas").first
    return Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")


def test_a_deep_link_works_on_a_fresh_server(visit):
    # The first request of this session's server: the page runs before app.py ever ran (pages/ folder mode).
    page = visit.open("/trends?border=CAN-USA&grain=quarter")
    assert page.locator("h1").first.inner_text() == "Crossing trends"
    assert "border=CAN-USA" in page.url and "grain=quarter" in page.url


def _renders(visit, path: str, **wait):
    """The page at path renders: no exception (Visit.check), a heading, the sidebar, no server error, the synthetic
    label, and a browser tab title of its own: the page's name, the view (place and period), borderlens."""
    page = visit.open(path, **wait)
    assert page.locator("h1").first.inner_text()
    assert page.locator("[data-testid='stSidebar']").count() == 1
    for status, url in visit.responses:
        assert status < 500, (status, url)
    assert "Synthetic demo data" in page.locator("[data-testid='stMain']").inner_text()
    start = NAV_TITLES[path] + " · "
    page.wait_for_function("(start) => document.title.startsWith(start)", arg=start, timeout=PAGE_TIMEOUT_MS)
    title = page.title()
    assert title.endswith(" · borderlens") and re.search(r"[A-Z][a-z]{2} \d{4} to [A-Z][a-z]{2} \d{4}", title), title
    return page


@pytest.mark.parametrize("path", [p for p in PAGES if p != "/map"])
def test_every_page_renders_without_exception(visit, path):
    _renders(visit, path)


def test_the_map_renders_and_draws_offline(visit):
    _renders(visit, "/map", wait_for_map=True, settle_ms=2500)
    image = _canvas_pixels(visit)
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 50, "the map canvas is blank or flat"
    pixels = list(image.get_flattened_data()) if hasattr(image, "get_flattened_data") else list(image.getdata())
    land = sum(1 for r, g, b in pixels if abs(r - 236) < 6 and abs(g - 236) < 6 and abs(b - 232) < 6)
    assert land > len(pixels) * 0.02, "the basemap countries are not drawn"
    blue = sum(1 for r, g, b in pixels if b > 150 and r < 120 and g < 170)
    assert blue > 20, "no crossing point is drawn"
    geo = [(s, u) for s, u in visit.responses if "/app/static/geo/" in u]
    assert {u.rsplit("/", 1)[-1] for s, u in geo if s == 200} >= {
        "countries_110m.geojson", "borders_land_50m.geojson", "borders_disputed_10m.geojson"}
    base = urlparse(visit.base).netloc
    outside = [u for u in visit.requests if urlparse(u).scheme in ("http", "https", "ws", "wss")
               and urlparse(u).netloc != base]
    assert not outside, f"the map asked other servers: {outside[:5]}"


def test_a_tooltip_shows_the_hostile_name_as_text(visit, browser_release):
    from data_pipeline.views.queries import Filters
    from data_pipeline.views.queries_map import map_view, view_for

    page = visit.open(HOSTILE_MAP, wait_for_map=True, settle_ms=2500)
    data = map_view(browser_release, Filters(border=("MEX", "USA"), date_from=date(2024, 1, 1),
                                             date_to=date(2024, 6, 30)), "pedestrians", ("crossings",))
    lon, lat, zoom = view_for(data.bounds)
    target = data.crossings[data.crossings["tooltip"].str.contains(f"USA-{XSS_PORT_CODE}", regex=False)].iloc[0]
    box = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first.bounding_box()
    cx, cy = _world(lon, lat, zoom)
    px, py = _world(target["lon"], target["lat"], zoom)
    x, y = box["x"] + box["width"] / 2 + (px - cx), box["y"] + box["height"] / 2 + (py - cy)
    found = visit.hover_text(x, y, [(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1), (2, 2), (-2, -2), (2, -2), (-2, 2),
                                    (3, 0), (0, 3)], XSS_PORT_CODE)
    visit.screenshot("-tooltip", whole=False)
    assert XSS_PORT in found, f"tooltip text: {found!r}"
    assert "pedestrians" in found
    assert page.locator(".deck-tooltip img, .deck-tooltip script, .deck-tooltip svg").count() == 0
    assert not visit.dialogs
