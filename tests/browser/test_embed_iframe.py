"""Embeds in real Chromium: ?embed=true in an 800 x 520 iframe shows only the chart or map, a heading naming
measure, place and period, and a one-line source linking back to the full view, all inside the frame; the full
view offers the iframe snippet ("Embed this chart")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ARTIFACTS, PAGE_TIMEOUT_MS, framed

FRAME_W, FRAME_H = 800, 520
EMBEDS = [("/trends?measure=trucks", "stVegaLiteChart", "Trucks per month"),
          ("/map?measure=trucks", "stDeckGlJsonChart", "Map: Crossing points (trucks)")]


@pytest.mark.parametrize("path, main, title", EMBEDS, ids=["trends", "map"])
def test_an_embed_fits_an_800x520_iframe(browser, server, browser_release, path, main, title):
    release_id = json.loads((Path(browser_release) / "release.json").read_text(encoding="utf-8"))["release_id"]
    tab = {"width": 900, "height": 640}
    with framed(browser, f"{server}{path}&embed=true", FRAME_W, FRAME_H, tab) as (page, frame):
        source = frame.locator("[data-testid='stCaptionContainer']", has_text="Source:")
        source.wait_for(state="visible", timeout=PAGE_TIMEOUT_MS)
        shown = frame.locator(f"[data-testid='{main}']")
        shown.wait_for(state="visible", timeout=PAGE_TIMEOUT_MS)
        if main == "stDeckGlJsonChart":
            frame.locator(f"[data-testid='{main}'] canvas").first.wait_for(timeout=PAGE_TIMEOUT_MS)
        frame.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=PAGE_TIMEOUT_MS)
        page.screenshot(path=str(ARTIFACTS / f"embed-iframe-{main}.png"))

        assert frame.locator("h1").count() == 0 and frame.locator("[data-testid='stSidebar']").count() == 0
        assert frame.locator("[data-testid='stAlert']").count() == 0   # no release banner above the view
        heading = frame.locator("h4").first.inner_text()
        assert heading.startswith(title) and "all borders" in heading and " to " in heading
        for element in (shown, source):   # the view and its source line are inside the 800 x 520 frame
            box = element.bounding_box()
            assert box and box["y"] >= 0 and box["y"] + box["height"] <= FRAME_H, (element, box)
            assert box["x"] >= 0 and box["x"] + box["width"] <= FRAME_W
        text = source.inner_text()
        assert f"borderlens release {release_id[:12]}" in text and text.startswith("Synthetic data · Source: ")
        assert source.bounding_box()["height"] < 45   # one line (two would be 60)
        back = source.locator("a").get_attribute("href") or ""
        assert back.startswith(f"{server}{path.split('?')[0]}?") and "measure=trucks" in back and "embed" not in back


def test_the_full_view_offers_the_iframe_snippet(visit, server):
    page = visit.open("/trends?measure=trucks")
    snippet = next(t for t in page.locator("[data-testid='stCode'] code").all_inner_texts() if "<iframe" in t)
    assert 'width="800" height="520"' in snippet and "embed=true" in snippet and "measure=trucks" in snippet
    assert 'title="Trucks per month' in snippet
    assert page.get_by_text("Embed this chart").count() >= 1
