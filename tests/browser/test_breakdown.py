"""Real Frontex figures in real Chromium (issue 10): a route's nationality breakdown renders with the nationality
the publisher's file puts first, and the map draws the routes as labelled areas, not as ports. Expected values
are computed here from the Frontex CSV with the csv module."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from support import SAMPLE

pytestmark = pytest.mark.browser

FRONTEX = SAMPLE / "crossings" / "frontex_irregular_border_crossings_monthly_2009-01_2025-04.csv"
ROUTE, ROUTE_ID = "Central Mediterranean Route", "FRX-ROUTE-central_mediterranean_route"
BREAKDOWN = (f"/breakdown?dimension=nationality&place={ROUTE_ID}&measure=irregular_border_crossings&grain=year"
             "&from=2023-01&to=2024-12")


def _largest_nationality() -> tuple[str, int]:
    totals: Counter = Counter()
    with open(FRONTEX, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["route"] == ROUTE and "2023-01" <= row["t"] <= "2024-12":
                totals[row["nat"]] += int(row["n"])
    return totals.most_common(1)[0]


def test_a_route_broken_down_by_nationality(visit):
    code, total = _largest_nationality()
    page = visit.open(BREAKDOWN)
    assert page.locator("h1").first.inner_text() == "Breakdown"
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "The link asks for" not in main
    assert page.locator("[data-testid='stVegaLiteChart']").count() >= 1
    assert f"({code}) {total:,}" in main          # the summary under the chart names the largest and its total
    # the ranking grid's first row: rank 1, the nationality's name, its code
    first_code = page.locator("[data-testid='stDataFrame'] [data-testid='glide-cell-2-0']").first.inner_text()
    assert first_code == code


def test_the_map_draws_routes_as_labelled_areas(visit):
    page = visit.open("/map?measure=irregular_border_crossings&layers=crossings&from=2023-01&to=2024-12")
    page.locator("[data-testid='stDeckGlJsonChart'] canvas").first.wait_for()
    main = page.locator("[data-testid='stMain']").inner_text()
    routes = 8   # the file's nine routes but "Other", which has no place on a map
    assert f"route or area counted as a whole ({routes})" in main
    assert "crossing point (0)" in main
