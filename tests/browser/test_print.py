"""The printable view (?print=true) in real Chromium: no sidebar, no controls, the source line at top and bottom,
tables drawn whole, and Chromium's print to PDF gives a document of several pages. That every page has a print
view (no sidebar, controls or tabs; the source line twice) is checked in the ?print=true pass of
tests/browser/test_inert_text.py, which visits every page in each view."""

from __future__ import annotations

import re

import pytest

from conftest import ARTIFACTS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path, title", [("/?print=true", "Overview"), ("/notices?print=true", "Exercise notices")])
def test_the_print_view_prints_to_pdf(visit, path, title):
    page = visit.open(path)
    assert page.locator("h1").first.inner_text() == title
    assert page.locator("[data-testid='stSidebar']").count() == 0
    main = page.locator("[data-testid='stMain']").inner_text()
    sources = re.findall(r"Source: .+ · Licence: .+ · borderlens release \w+ \(", main)
    assert len(sources) == 2, f"the source line is not at the top and the bottom: {sources}"
    assert main.index("Source:") < main.index(title) < main.rindex("Source:")
    assert "Printed view of:" in main
    # No controls and no scrolling grid: tables are whole (st.table), downloads are left out.
    for control in ("stSelectbox", "stMultiSelect", "stSlider", "stDownloadButton", "stDataFrame"):
        assert page.locator(f"[data-testid='{control}']").count() == 0, control
    assert page.locator("[data-testid='stTable']").count() >= 1
    if title == "Exercise notices":  # the calendar chart's data table and the thresholds are on the page
        assert "Data table:" in main and "The Vienna Document 2011 thresholds used here" in main
    shot = visit.screenshot("-print")
    assert shot.exists() and shot.stat().st_size > 10_000
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    name = "print-" + ("overview" if title == "Overview" else "notices")
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 30_000, len(pdf)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 1


def test_a_bad_print_value_falls_back_with_a_warning(visit):
    page = visit.open("/?print=<b>yes</b>")
    text = page.locator("[data-testid='stMain']").inner_text()
    assert "the print view" in text and "<b>" not in text
    assert page.locator("[data-testid='stSidebar']").count() == 1   # the ordinary page
