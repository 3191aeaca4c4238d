"""The Map's level of detail in real Chromium: a release with thousands of notices and projects draws grid cells
quickly, sends little, and a cell's tooltip is plain text that says how to see each area."""

from __future__ import annotations

from datetime import date

import pytest
from PIL import Image

from test_app_map import build_many_release
from test_app_release import build_release
from test_pages import _canvas_pixels, _world

pytestmark = pytest.mark.browser

PATH = "/map?layers=notices&from=2019-01&to=2026-10"


@pytest.fixture(scope="module")
def many_url(serve_release, tmp_path_factory) -> tuple[str, str]:
    release = build_many_release(build_release(tmp_path_factory), tmp_path_factory.mktemp("many-browser") / "release")
    return release, serve_release(release, "many")


def test_many_notices_draw_as_cells_with_text_tooltips(visit_on, many_url):
    from data_pipeline.views.map_style import view_for
    from data_pipeline.views.queries import Filters
    from data_pipeline.views.queries_map import map_view

    release, url = many_url
    visit = visit_on(url)
    page = visit.open(PATH, wait_for_map=True, settle_ms=2500)   # how long it takes is bench/pages.py's to measure
    received = sum(len(f) for f in visit.frames)
    assert received < 1_000_000, f"{received:,} bytes sent for one map view"
    image: Image.Image = _canvas_pixels(visit)
    pixels = list(image.get_flattened_data()) if hasattr(image, "get_flattened_data") else list(image.getdata())
    tinted = sum(1 for r, g, b in pixels if r > g + 25 and b > g)   # reddish purple / vermillion cells on the land
    assert tinted > 200, "no notice cell is drawn"
    legend = page.locator("[data-testid='stMain']").inner_text()
    assert "Counted per" in legend and "choose a border or a shorter period" in legend

    data = map_view(release, Filters(date_from=date(2019, 1, 1), date_to=date(2026, 10, 31)), "people", ("notices",))
    assert data.notices.aggregated
    lon, lat, zoom = view_for(data.bounds)
    cell = data.notices.table.iloc[0]                           # the cell with the most notices
    box = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first.bounding_box()
    cx, cy = _world(lon, lat, zoom)
    px, py = _world(cell["lon"], cell["lat"], zoom)
    x, y = box["x"] + box["width"] / 2 + (px - cx), box["y"] + box["height"] / 2 + (py - cy)
    found = visit.hover_text(x, y, [(0, 0), (2, 0), (-2, 0), (0, 2), (0, -2), (3, 3), (-3, -3)], "exercise notice")
    visit.screenshot("-cell-tooltip", whole=False)
    assert f"{int(cell['notices']):,} exercise notice" in found, f"tooltip text: {found!r}"
    assert "Choose a border or a shorter period to see each area." in found
    assert page.locator(".deck-tooltip img, .deck-tooltip script, .deck-tooltip svg, .deck-tooltip a").count() == 0
