"""A world-wide map embedded in a phone's column, in real Chromium: the real MME exercises (1980-2010, held on
every continent) fit a 320 px frame because the view may zoom out below deck.gl's default floor of 0, down to the
zoom at which the whole world fits (map_style.world_zoom); deck.gl must honour that zoom, not clamp it."""

from __future__ import annotations

import io
import time

import pytest
from PIL import Image

from conftest import ARTIFACTS, PAGE_TIMEOUT_MS, framed

pytestmark = pytest.mark.browser

FRAME_W, FRAME_H = 320, 520
WORLD_EMBED = "/map?layers=notices&from=1980-01&to=2010-12&embed=true"
LAND = (236, 236, 232)   # the basemap's country fill (map_style.BASEMAP_LAYERS)


def _land_columns(image) -> list[int]:
    """The x of every column of the image with a pixel of the basemap's land (every second row looked at)."""
    width, height = image.size
    return [x for x in range(width) if any(
        all(abs(a - b) < 6 for a, b in zip(image.getpixel((x, y)), LAND)) for y in range(0, height, 2))]


def test_a_world_wide_embed_shows_the_whole_world_in_a_320px_frame(browser, server, browser_release):
    from datetime import date

    from data_pipeline.views.embeds import MAP_FIT_WIDTH, MAP_HEIGHT
    from data_pipeline.views.map_style import view_for, world_zoom
    from data_pipeline.views.queries import Filters
    from data_pipeline.views.queries_map import map_view

    data = map_view(browser_release, Filters(date_from=date(1980, 1, 1), date_to=date(2010, 12, 31)), "people",
                    ("notices",))
    _, _, zoom = view_for(data.bounds, MAP_FIT_WIDTH, MAP_HEIGHT)
    assert world_zoom(MAP_FIT_WIDTH, MAP_HEIGHT) <= zoom < 0   # below deck.gl's default floor, as the data needs
    with framed(browser, f"{server}{WORLD_EMBED}", FRAME_W, FRAME_H, {"width": 400, "height": 640}) as (page, frame):
        canvas = frame.locator("[data-testid='stDeckGlJsonChart'] canvas").first
        canvas.wait_for(timeout=PAGE_TIMEOUT_MS)
        frame.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=PAGE_TIMEOUT_MS)
        # the basemap is fetched as a static file, then drawn: until the canvas shows land and two shots in a row
        # are the same (each shot takes its own time; no fixed wait)
        deadline, before = time.monotonic() + PAGE_TIMEOUT_MS / 1000, None
        while True:
            image = Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")
            columns = _land_columns(image)
            if columns and before is not None and image.tobytes() == before.tobytes():
                break
            assert time.monotonic() < deadline, "the basemap's land is not drawn" if not columns else "never settles"
            before = image
        page.screenshot(path=str(ARTIFACTS / "embed-world-320.png"))
    width = image.size[0]
    # deck.gl draws the world 512 * 2**zoom px wide (about 280 px here): the land spans about that, inside the
    # canvas. Had deck.gl clamped the view to its floor of 0 (or had the old floor of 0.3 held), the world would be
    # 512 or 630 px wide, and the land would run past both edges of the frame, exercises cut off with it.
    extent = columns[-1] - columns[0] + 1
    assert columns[0] > 0 and columns[-1] < width - 1, (columns[0], columns[-1], width)
    assert 0.85 * 512 * 2 ** zoom <= extent <= 512 * 2 ** zoom + 2, (extent, zoom)
