"""The ranking of crossing points in real Chromium: the table renders, and its first row's link opens that
crossing point's Trends view (a relative address, resolved by the browser against the page's own)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from conftest import PAGE_TIMEOUT_MS, Visit

pytestmark = pytest.mark.browser

RANKING = "/ranking?measure=trucks&border=MEX-USA"
HEADER_PX = 35   # the grid's header row; the first data row follows (Streamlit's default row height, 35 px)
# The names of the grid's cursor-bearing elements: glide-data-grid shows a pointer over a link's text only.
POINTER_JS = """() => [...document.querySelectorAll("[data-testid='stDataFrame'] canvas, "
    + "[data-testid='stDataFrame'] .dvn-scroller")].some(e => getComputedStyle(e).cursor === 'pointer')"""


def test_the_ranking_renders_and_its_link_opens_trends(visit):
    page = visit.open(RANKING)
    assert page.locator("h1").first.inner_text() == "Crossing points ranked"
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "The link asks for" not in main and "ranks could change" in main
    # the grid's accessible table: the first row's crossing point and its link
    first_name = page.locator("[data-testid='stDataFrame'] [data-testid='glide-cell-1-0']").first.inner_text()
    link = page.locator("[data-testid='stDataFrame'] [data-testid='glide-cell-2-0']").first.inner_text()
    assert link.startswith("trends?port=") and first_name
    port = parse_qs(link.split("?", 1)[1])["port"][0]

    # the link is drawn in the grid's canvas: move along the first row until the cursor shows a link, then click
    box = page.locator("[data-testid='stDataFrame'] canvas").first.bounding_box()
    y = box["y"] + HEADER_PX + HEADER_PX / 2
    x = next((box["x"] + dx for dx in range(5, int(box["width"]), 6)
              if page.mouse.move(box["x"] + dx, y) is None and page.evaluate(POINTER_JS)), None)
    assert x is not None, "no link found in the first row"
    with page.context.expect_page(timeout=PAGE_TIMEOUT_MS) as opened:
        page.mouse.click(x + 3, y)
    trends = opened.value
    trends.wait_for_load_state("domcontentloaded")
    address = urlparse(trends.url)
    assert address.netloc == urlparse(visit.base).netloc and address.path == "/trends"
    assert parse_qs(address.query)["port"] == [port] and parse_qs(address.query)["measure"] == ["trucks"]
    Visit(page=trends, base=visit.base, name=f"{visit.name}-trends").wait()   # settled, no exception shown
    assert trends.locator("h1").first.inner_text() == "Crossing trends"
    chosen = trends.locator("[data-testid='stSelectbox'] input[aria-label='Crossing point']").first.input_value()
    assert chosen == f"{first_name} ({port})", chosen
    assert "The link asks for" not in trends.locator("[data-testid='stMain']").inner_text()
    trends.close()
