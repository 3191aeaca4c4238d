"""Keyboard use in real Chromium: from a fresh page load, Tab alone reaches the sidebar's border selector, the
period slider, the page's own controls and a download button; Space or ArrowDown on a focused selectbox opens it
(Enter does not: Streamlit's own selectbox, see the xfail below)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

TRENDS = "/trends?border=CAN-USA"
MAX_TABS = 150

# What has the focus: the widget around it (data-testid), whether it is in the sidebar, and its accessible name
# (aria-label, the label the widget points to, or its text).
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const widget = el.closest('[data-testid^="st"]');
  const labelled = el.getAttribute('aria-labelledby');
  const byId = labelled ? labelled.split(' ').map(i => document.getElementById(i)).filter(Boolean)
                                  .map(e => e.textContent).join(' ') : '';
  const label = widget ? widget.querySelector('label, [data-testid="stWidgetLabel"]') : null;
  return {tag: el.tagName, role: el.getAttribute('role') || '', testid: widget ? widget.dataset.testid : '',
          widget: el.closest('[data-testid="stSelectbox"], [data-testid="stMultiSelect"], [data-testid="stSlider"],'
                              + '[data-testid="stButtonGroup"], [data-testid="stDownloadButton"],'
                              + '[data-testid="stSegmentedControl"]')?.dataset.testid || '',
          sidebar: !!el.closest('[data-testid="stSidebar"]'),
          name: (el.getAttribute('aria-label') || byId || (label ? label.textContent : '') ||
                 el.textContent || '').trim().slice(0, 80)};
}"""


def _tab_through(page, count: int = MAX_TABS) -> list[dict]:
    seen = []
    for _ in range(count):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused:
            seen.append(focused)
    return seen


def test_tab_reaches_the_filters_the_page_controls_and_a_download(visit):
    page = visit.open(TRENDS)
    seen = _tab_through(page)
    order = [f"{'sidebar' if f['sidebar'] else 'main'}:{f['widget'] or f['testid']}:{f['name']}" for f in seen]

    def first(predicate, what):
        hits = [i for i, f in enumerate(seen) if predicate(f)]
        assert hits, f"Tab never reaches {what}; focus went through: {order}"
        return hits[0]

    border = first(lambda f: f["sidebar"] and f["widget"] == "stSelectbox" and f["name"] == "Border",
                   "the sidebar's border selector")
    period = first(lambda f: f["sidebar"] and f["widget"] == "stSlider" and f["name"].startswith("Period"),
                   "the period slider")
    measure = first(lambda f: not f["sidebar"] and f["widget"] == "stSelectbox" and f["name"] == "What is counted",
                    "the measure selector")
    grain = first(lambda f: not f["sidebar"] and f["widget"] in ("stButtonGroup", "stSegmentedControl"),
                  "the time step control")
    split = first(lambda f: not f["sidebar"] and f["widget"] == "stSelectbox" and f["name"] == "Break down by",
                  "the breakdown selector")
    download = first(lambda f: not f["sidebar"] and f["widget"] == "stDownloadButton", "a download button")
    assert border < period, order          # in reading order: sidebar filters first
    assert measure < grain < split < download, order
    visit.screenshot("-keyboard", whole=False)


@pytest.mark.parametrize("key", [
    "Space", "ArrowDown",
    # Streamlit's selectbox (a react-aria combobox, Streamlit 1.67) opens on Space, ArrowDown and Alt+ArrowDown,
    # not on Enter (Enter chooses the highlighted option of an open list). Not ours to change; this fails
    # (strict) the day Streamlit opens it on Enter too.
    pytest.param("Enter", marks=pytest.mark.xfail(strict=True, reason="Streamlit's selectbox does not open on "
                                                                     "Enter; Space and ArrowDown do")),
])
def test_enter_or_space_opens_a_focused_selectbox(visit, key):
    page = visit.open(TRENDS)
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused and focused["sidebar"] and focused["widget"] == "stSelectbox" and focused["name"] == "Border":
            break
    else:
        pytest.fail("Tab never reaches the sidebar's border selector")
    listbox = page.locator("[role='listbox'], [data-testid='stSelectboxVirtualDropdown']")
    assert listbox.count() == 0 or not listbox.first.is_visible()
    page.keyboard.press(key)
    listbox.first.wait_for(state="visible", timeout=5_000)
    options = page.locator("[role='option']").all_inner_texts()
    assert any("All borders" in o for o in options), options
    page.keyboard.press("Escape")
