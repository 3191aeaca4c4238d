"""A release cut in half on disk, in real Chromium: every address (the overview and a deep link to each page)
shows the maintenance message, no traceback, no server path; the server's log names the problem once."""

from __future__ import annotations

import shutil

import pytest

from conftest import ARTIFACTS

PATHS = ["/", "/map", "/trends", "/notices", "/transparency", "/downloads"]


@pytest.fixture(scope="module")
def broken_url(browser_release, serve_release, tmp_path_factory):
    folder = tmp_path_factory.mktemp("broken") / "release"
    shutil.copytree(browser_release, folder)
    db = folder / "borderlens.duckdb"
    with open(db, "r+b") as handle:
        handle.truncate(db.stat().st_size // 2)
    return folder, serve_release(folder, "broken")


def test_every_address_shows_the_maintenance_message(broken_url, visit_on):
    folder, url = broken_url
    tab = visit_on(url)
    for path in PATHS:
        page = tab.open(path)
        page.wait_for_selector("[data-testid='stAlert']", timeout=30_000)
        alerts = page.locator("[data-testid='stAlert']")
        assert alerts.count() == 1, path
        text = alerts.first.inner_text()
        assert text.startswith("This release cannot be read: truncated: borderlens.duckdb ("), (path, text)
        assert "operator has been told" in text, (path, text)
        assert page.url.rstrip("/") == url + path.rstrip("/"), (path, page.url)  # a deep link keeps its address
        assert page.locator("[data-testid='stSidebarNav']").count() == 0, path  # no links into broken pages
        body = page.locator("body").inner_text()
        assert str(folder) not in body and "Traceback" not in body, path
        assert page.locator("[data-testid='stDataFrame'], [data-testid='stDeckGlJsonChart']").count() == 0, path
    log = (ARTIFACTS / "streamlit-broken.log").read_text(encoding="utf-8")
    assert log.count("borderlens: the release cannot be read: truncated: borderlens.duckdb (") == 1, log
