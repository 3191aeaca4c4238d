"""Sharing in real Chromium: a filtered table's CSV holds all its rows (every page), a permalink opens the same view
in a fresh browser, an embed shows the chart without the sidebar, chart images download with their source line (every
page's embedded view is checked in the ?embed=true pass of tests/browser/test_inert_text.py)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from conftest import new_context
from data_pipeline.views import queries as Q
from data_pipeline.views.queries_projects import projects_table
from test_app_release import whole_period

pytestmark = pytest.mark.browser

FILTERED = "/infrastructure?border=all&within_km=100&rows=50"
TRENDS = "/trends?border=CAN-USA&grain=quarter&by=direction&measure=trucks"


def _download(page, name: str) -> bytes:
    button = page.get_by_role("button", name=name, exact=True).first
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=60_000) as info:
        button.click()
    return Path(info.value.path()).read_bytes()


def _widget_values(page) -> list[str]:
    """What every selectbox, multiselect, slider and segmented control on the page shows."""
    chosen = page.evaluate("""() => [...document.querySelectorAll(
        "[data-testid='stSelectbox'], [data-testid='stMultiSelect']")].map(w => w.innerText + ' = ' +
        [...w.querySelectorAll('input')].map(i => i.value || i.getAttribute('aria-label') || '').join(',') + ' ' +
        [...w.querySelectorAll('[value], [data-baseweb=tag], [aria-selected=true]')].map(e => e.textContent).join(','))
    """)
    return [" | ".join(chosen)] + _other_values(page)


def _other_values(page) -> list[str]:
    selectors = ("[data-testid='stSlider']",
                 "[data-testid='stButtonGroup'] button[aria-checked='true'], "
                 "[data-testid='stButtonGroup'] button[kind$='Active']")
    return [" | ".join(t.strip() for t in page.locator(s).all_inner_texts()) for s in selectors]


def _code_blocks(page) -> list[str]:
    return [t.strip() for t in page.locator("[data-testid='stCode'] code").all_inner_texts()]


def test_every_download_format_of_a_paged_table_holds_all_its_rows(visit, browser_release):
    """The grid holds one page; each download holds every row of the filtered table, in the grid's order."""
    whole = "&".join(f"{k}={v}" for k, v in whole_period(browser_release).items())   # more than 50 projects
    page = visit.open(f"{FILTERED}&{whole}")
    every = projects_table(browser_release, Q.Filters(date_from=pd.Timestamp(page.url.split("from=")[1][:7] + "-01")
                                                      .date(),
                                                      date_to=(pd.Period(page.url.split("to=")[1][:7], "M")
                                                               .end_time.date())),
                           "100", ())
    caption = page.get_by_text(re.compile(r"Download all [\d,]+ rows of this table")).first.inner_text()
    assert int(re.search(r"([\d,]+) rows", caption).group(1).replace(",", "")) == len(every) > 50
    assert page.get_by_text(re.compile(rf"projects 1–50 of {len(every):,}")).count() >= 1
    grid = page.locator("[data-testid='stDataFrame']").first.locator("table")
    on_screen = [t.strip() for t in grid.locator("tbody tr td[aria-colindex='1']").all_inner_texts()]
    total = grid.get_attribute("aria-rowcount")
    if total:
        assert int(total) - 1 == 50                      # the browser got this page's rows, no more
    data = _download(page, "CSV")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    assert [r["project_id"] for r in rows] == list(every["project_id"])
    assert on_screen and [r["project_id"] for r in rows[:len(on_screen)]] == on_screen   # the grid's own rows
    assert all(float(r["distance_to_border_km"]) <= 100 for r in rows)
    back = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    assert list(back["project_id"]) == list(every["project_id"])
    excel = _download(page, "CSV for Excel")
    assert excel.startswith("\ufeff".encode("utf-8")) and excel[3:] == data
    parquet = pd.read_parquet(io.BytesIO(_download(page, "Parquet")))
    assert list(parquet["project_id"]) == list(every["project_id"])


def test_a_permalink_opens_the_same_view_in_a_fresh_browser(visit, browser):
    page = visit.open(TRENDS)
    link = next(c for c in _code_blocks(page) if c.startswith("http"))
    assert "/trends?" in link and "border=CAN-USA" in link and "grain=quarter" in link and "by=direction" in link
    before = _widget_values(page)
    assert "= trucks" in before[0] and "= Canada" in before[0] and "direction" in before[0], before
    assert "Quarter" in before[2], before
    cite = next(c for c in _code_blocks(page) if c.startswith("borderlens, “Crossing trends”"))
    assert link in cite
    context = new_context(browser)
    try:
        fresh = context.new_page()
        again = type(visit)(page=fresh, base="", name=visit.name + "-fresh")
        again.open(link)
        assert fresh.locator("h1").first.inner_text() == "Crossing trends"
        assert _widget_values(fresh) == before
        assert next(c for c in _code_blocks(fresh) if c.startswith("http")) == link
    finally:
        context.close()


def test_an_embed_shows_the_chart_without_the_sidebar(visit):
    page = visit.open(TRENDS + "&embed=true")
    assert page.locator("[data-testid='stSidebar']").count() == 0
    assert page.locator("[data-testid='stVegaLiteChart']").count() == 1
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "Source:" in main and "borderlens release" in main
    assert "Share and cite this view" not in main and "Mirror statistics" not in main
    assert page.locator("[data-testid='stDownloadButton']").count() == 0


def test_chart_images_download_with_their_source_line(visit, browser_release):
    release = json.loads((Path(browser_release) / "release.json").read_text(encoding="utf-8"))
    page = visit.open(TRENDS)
    png = _download(page, "Chart as PNG")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5_000
    svg = _download(page, "Chart as SVG").decode("utf-8")
    assert svg.lstrip().startswith("<svg") or "<svg" in svg[:200]
    assert "Source:" in svg and f"borderlens release {release['release_id']}" in svg
    # fit for a report: full width 16:9, the title names measure, place and period; only this border's publishers
    assert Image.open(io.BytesIO(png)).size == (1200, 675)
    assert re.search(r"Trucks per quarter · Canada – United States · [A-Z][a-z]{2} \d{4} to [A-Z][a-z]{2} \d{4}", svg)
    assert "US Bureau of Transportation Statistics" in svg and "European border guards" not in svg
    assert "Synthetic demo data" in svg   # the demo's Canadian counterpart figures are synthetic


@pytest.mark.parametrize("path, title", [("/downloads", "Downloads"), ("/revisions?dataset=crossings", "Revisions")])
def test_downloads_and_revisions_pages_render(visit, path, title):
    page = visit.open(path)
    assert page.locator("h1").first.inner_text() == title
    assert page.locator("[data-testid='stDownloadButton']").count() >= 1
    if title == "Downloads":
        feed = _download(page, "feed.atom")
        assert feed.lstrip().startswith(b"<?xml") and b"<feed" in feed


def test_geojson_download_of_the_map_table_holds_the_points_shown(visit):
    page = visit.open("/map?border=CAN-USA&layers=crossings")
    page.get_by_text("Data table", exact=True).first.click()
    caption = page.get_by_text(re.compile(r"Download these [\d,]+ rows")).first
    caption.wait_for(timeout=30_000)
    shown = int(re.search(r"([\d,]+) rows", caption.inner_text()).group(1).replace(",", ""))
    features = json.loads(_download(page, "GeoJSON"))["features"]
    assert len(features) == shown > 0
    assert all(f["geometry"]["type"] == "Point" for f in features)
    assert all(-180 <= f["geometry"]["coordinates"][0] <= 180 for f in features)
