"""Real Frontex figures in real Chromium (issue 10, point 4 and "Done when"): a route's nationality breakdown
renders the nationalities by name (not only their ISO 3166 codes) with the figures the publisher's file gives, a
nationality chosen in the URL narrows it, and the map draws the routes as labelled areas, not as ports. Expected
values are computed here from the Frontex CSV with the csv module, names from pycountry."""

from __future__ import annotations

import csv
import json
import math
from collections import Counter

import pycountry
import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from support import SAMPLE

pytestmark = pytest.mark.browser

FRONTEX = SAMPLE / "crossings" / "frontex_irregular_border_crossings_monthly_2009-01_2025-04.csv"
ROUTE, ROUTE_ID = "Central Mediterranean Route", "FRX-ROUTE-central_mediterranean_route"
PERIOD = "from=2023-01&to=2024-12"
BREAKDOWN = (f"/breakdown?dimension=nationality&place={ROUTE_ID}&measure=irregular_border_crossings&grain=year"
             f"&{PERIOD}")
MAP = f"/map?measure=irregular_border_crossings&layers=crossings&{PERIOD}"


def _totals() -> Counter:
    """The route's detections per nationality in 2023-2024, as the file gives them."""
    totals: Counter = Counter()
    with open(FRONTEX, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["route"] == ROUTE and "2023-01" <= row["t"] <= "2024-12":
                totals[row["nat"]] += int(row["n"])
    return totals


def _name(code: str) -> str:
    """A country's name as the dashboard's label source (pycountry) gives it: its common name where ISO's is long."""
    country = pycountry.countries.get(alpha_3=code)
    assert country is not None, code
    return getattr(country, "common_name", None) or country.name


def _ranking(page) -> dict[str, tuple[str, str]]:
    """The ranking grid's rows as the browser holds them: code -> (name, total as shown). Glide keeps an accessible
    table of its cells (glide-cell-<column>-<row>); columns: rank, name, code, total, ..."""
    grid = page.locator("[data-testid='stDataFrame']").last
    rows: dict[str, tuple[str, str]] = {}
    for row in range(grid.locator("[data-testid^='glide-cell-2-']").count()):
        code = grid.locator(f"[data-testid='glide-cell-2-{row}']").inner_text()
        rows[code] = (grid.locator(f"[data-testid='glide-cell-1-{row}']").inner_text(),
                      grid.locator(f"[data-testid='glide-cell-3-{row}']").inner_text())
    return rows


def test_a_route_broken_down_by_nationality(visit):
    top = _totals().most_common(3)
    page = visit.open(BREAKDOWN)
    assert page.locator("h1").first.inner_text() == "Breakdown"
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "The link asks for" not in main
    assert page.locator("[data-testid='stVegaLiteChart']").count() >= 1
    # the summary under the chart: the three largest by name, code and the file's total
    summary = ", ".join(f"{_name(code)} ({code}) {total:,}" for code, total in top)
    assert f"Largest in the period: {summary}." in main
    ranking = _ranking(page)
    code, total = top[0]
    first = page.locator("[data-testid='stDataFrame'] [data-testid='glide-cell-2-0']").last.inner_text()
    assert first == code
    assert ranking[code][0] == _name(code)
    assert ranking[code][1].replace(",", "").replace("\u202f", "").replace(".", "") == str(total)


def test_a_nationality_chosen_in_the_url_narrows_the_breakdown(visit):
    totals = _totals()
    chosen = ["SYR", "AFG"]
    page = visit.open(f"{BREAKDOWN}&dim_nationality={','.join(chosen)}")
    assert "dim_nationality=SYR" in page.url.replace("%2C", ",")
    sidebar = page.locator("[data-testid='stSidebar']").inner_text()
    assert all(f"{_name(code)} ({code})" in sidebar for code in chosen)   # the widget's chips: names, codes kept
    ranking = _ranking(page)
    assert set(ranking) == set(chosen)
    for code in chosen:
        name, shown = ranking[code]
        assert name == _name(code) and int("".join(ch for ch in shown if ch.isdigit())) == totals[code]
    main = page.locator("[data-testid='stMain']").inner_text()
    order = sorted(chosen, key=lambda c: -totals[c])
    assert "Largest in the period: " + ", ".join(f"{_name(c)} ({c}) {totals[c]:,}" for c in order) in main


def _deck(visit) -> dict:
    """The map's pydeck spec as the browser received it (the last deck in the websocket's ForwardMsgs)."""
    decks = []
    for frame in visit.frames:
        if not isinstance(frame, bytes):
            continue
        msg = ForwardMsg()
        msg.ParseFromString(frame)
        if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            if element.WhichOneof("type") == "deck_gl_json_chart":
                decks.append(json.loads(element.deck_gl_json_chart.json))
    assert decks, "no map was sent to the browser"
    return decks[-1]


def _world(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    scale = 512 * 2 ** zoom
    return (scale * (lon + 180) / 360,
            scale * (1 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2)


def test_the_map_draws_routes_as_labelled_areas(visit):
    page = visit.open(MAP, wait_for_map=True, settle_ms=2500)
    main = page.locator("[data-testid='stMain']").inner_text()
    with open(FRONTEX, newline="", encoding="utf-8") as handle:
        routes = {row["route"] for row in csv.DictReader(handle) if "2023-01" <= row["t"] <= "2024-12"}
    drawn = routes - {"Other"}                       # "Other" has no place on a map
    assert f"route or area counted as a whole ({len(drawn)})" in main
    assert "crossing point (0)" in main
    layers = {layer.get("id"): layer for layer in _deck(visit)["layers"]}
    assert "crossings" not in layers and "crossings-withheld" not in layers   # no route drawn as a port
    names = {row["name"]: row for row in layers["crossing-area-names"]["data"]}
    assert set(names) == drawn                        # each route labelled with its name
    areas = layers["crossing-areas"]
    assert areas["@@type"] == "ScatterplotLayer" and len(areas["data"]) == len(drawn)   # a ring per route
    # and drawn: the ring at the route's point answers a hover with the route's name (the tooltip is text)
    view = _deck(visit)["initialViewState"]
    route = names[ROUTE]
    box = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first.bounding_box()
    cx, cy = _world(view["longitude"], view["latitude"], view["zoom"])
    px, py = _world(route["lon"], route["lat"], view["zoom"])
    x, y = box["x"] + box["width"] / 2 + (px - cx), box["y"] + box["height"] / 2 + (py - cy)
    found = visit.hover_text(x, y, [(0, 0), (3, 0), (-3, 0), (0, 3), (0, -3), (5, 5), (-5, -5)], ROUTE)
    visit.screenshot("-route-tooltip", whole=False)
    assert ROUTE in found, f"tooltip text: {found!r}"
