"""Accessibility and polish in real Chromium: captions readable (contrast >= 4.5:1), a <title> of its own for a
view (each page's own: tests/browser/test_pages.py), charts with an accessible name and text alternative, and a
"Page not found" page for an unknown address."""

from __future__ import annotations

import re

from conftest import PAGE_TIMEOUT_MS

# The colour a caption's text is drawn in (its colour's alpha and every ancestor's opacity applied) over the
# page's background, as [r, g, b] of each.
CAPTION_COLOURS_JS = """() => {
    const caption = document.querySelector("[data-testid='stMain'] [data-testid='stCaptionContainer'] p")
        || document.querySelector("[data-testid='stMain'] [data-testid='stCaptionContainer']");
    const parse = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
    let [r, g, b, a] = parse(getComputedStyle(caption).color);
    a = a === undefined ? 1 : a;
    for (let e = caption; e; e = e.parentElement) { a *= Number(getComputedStyle(e).opacity); }
    let bg = [255, 255, 255];
    for (let e = caption; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c.length >= 3 && (c.length < 4 || c[3] > 0)) { bg = c.slice(0, 3); break; }
    }
    return {text: [r, g, b].map((v, i) => v * a + bg[i] * (1 - a)), background: bg};
}"""


def _luminance(rgb) -> float:
    def channel(v: float) -> float:
        v = v / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula_matches_wcag_examples():
    assert round(contrast([0, 0, 0], [255, 255, 255]), 1) == 21.0
    assert round(contrast([118, 118, 118], [255, 255, 255]), 2) == 4.54   # WCAG's well-known #767676


def test_captions_are_readable(visit):
    page = visit.open("/trends?measure=trucks")
    colours = page.evaluate(CAPTION_COLOURS_JS)
    assert contrast(colours["text"], colours["background"]) >= 4.5, colours


def test_a_view_has_a_title_of_its_own(visit):
    """The tab names the view, not only the page (every page's own title: tests/browser/test_pages.py)."""
    page = visit.open("/trends?border=CAN-USA")
    start = "Crossing trends · "
    page.wait_for_function("(start) => document.title.startsWith(start)", arg=start, timeout=PAGE_TIMEOUT_MS)
    title = page.title()
    assert title.endswith(" · borderlens") and re.search(r"[A-Z][a-z]{2} \d{4} to [A-Z][a-z]{2} \d{4}", title)
    assert "Canada" in title and "all borders" not in title


def test_every_chart_has_an_accessible_name_and_text_alternative(visit):
    page = visit.open("/trends?measure=trucks")
    charts = page.locator("[data-testid='stVegaLiteChart']")
    assert charts.count() >= 2
    for i in range(charts.count()):
        chart = charts.nth(i)
        assert chart.get_attribute("role") == "graphics-document"
        label = chart.get_attribute("aria-label") or ""
        assert label.startswith(("Trucks", "Change", "Same months", "Mirror")) and " · " in label and ". " in label


def test_an_unknown_address_says_page_not_found(visit):
    page = visit.open("/nosuchpage")
    assert page.locator("h1").first.inner_text() == "Page not found"
    page.wait_for_function("() => document.title.startsWith('Page not found')", timeout=PAGE_TIMEOUT_MS)
    text = page.locator("[data-testid='stMain']").inner_text()
    assert "nosuchpage" in text and "Overview" in text and "Border crossings" not in text
    links = page.locator("[data-testid='stMain'] [data-testid='stPageLink'] a")
    assert links.count() >= 9
