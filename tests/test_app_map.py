"""Map page: offline basemap, one row per crossing point, cells for coarsened places, text-only tooltips, and
a level of detail decided on the server (many areas or projects are counted per grid cell)."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest
from pyproj import Geod

from data_pipeline.views.queries_map_areas import DETAIL_LIMIT, MAX_CELLS
from data_pipeline.publish.verify import write_digests

from test_app_release import (XSS_PORT, XSS_PORT_CODE, app_env, no_exception, open_page,  # noqa: F401
                              release_dir, warnings_text, whole_period)


def _spec(at) -> dict:
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.json)


def _layer(spec: dict, layer_id: str) -> dict:
    return next(layer for layer in spec["layers"] if layer["id"] == layer_id)


def _query(release_dir: str, text: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(Path(release_dir) / "borderlens.duckdb"), read_only=True)
    try:
        return con.execute(text, params or []).fetchall()
    finally:
        con.close()


def test_map_is_offline_and_its_layers_carry_only_what_they_draw(app_env):
    at = open_page("map")
    no_exception(at)
    spec = _spec(at)
    # map_provider=None and no map_style: pydeck sends its "__MAP_STYLE__" placeholder, which Streamlit drops,
    # so no tile or style server is asked (any other style would make the browser fetch it from the internet).
    assert spec.get("mapProvider") is None and spec.get("mapStyle") in (None, "__MAP_STYLE__")
    basemap = [layer for layer in spec["layers"] if layer["id"].startswith("basemap-")]
    assert [b["data"] for b in basemap] == ["app/static/geo/countries_110m.geojson",
                                            "app/static/geo/borders_land_50m.geojson",
                                            "app/static/geo/borders_disputed_10m.geojson"]
    for b in basemap:
        assert (Path(__file__).resolve().parent.parent / b["data"].removeprefix("app/")).is_file()
    assert _layer(spec, "basemap-disputed")["extensions"][0]["@@type"] == "PathStyleExtension"
    crossings = _layer(spec, "crossings")["data"]
    assert crossings and all(set(row) == {"lon", "lat", "radius", "tooltip"} for row in crossings)
    for layer_id in ("notices", "projects"):
        for feature in _layer(spec, layer_id)["data"]["features"]:
            assert set(feature["properties"]) == {"tooltip", "colour"}
    tooltip = json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)
    assert tooltip["text"] == "{tooltip}" and "html" not in tooltip   # text, never html


def test_crossings_are_one_point_per_location_not_monthly_rows(app_env, release_dir):
    at = open_page("map", {"layers": "crossings", **whole_period(app_env)})
    spec = _spec(at)
    points = [p for layer in spec["layers"] if layer["id"] in ("crossings", "crossings-withheld")
              for p in layer["data"]]
    locations = _query(release_dir, "select count(distinct location_id) from crossings where lat is not null "
                                    "and measure in ('persons','pedestrians','personal_vehicle_passengers',"
                                    "'bus_passengers','train_passengers') and location_cell_geojson is null")[0][0]
    assert len(points) == locations
    assert len(json.dumps(_spec(at))) < 200_000


def _synthetic_notices_period(release_dir: str) -> tuple[date, date]:
    """The first and last start of the demo's synthetic notices: few enough to be drawn one by one (the real MME
    exercises of 1980-2010 beside them, 3,684 world-wide, are counted per grid cell)."""
    [(first, last)] = _query(release_dir, "select min(start_date), max(start_date) from exercise_notices n "
                                          "join sources s using (source_id) where s.synthetic")
    return first, last


def test_coarsened_exercise_areas_are_drawn_as_their_cells(app_env, release_dir):
    first, last = _synthetic_notices_period(release_dir)
    cells = _query(release_dir, "select notice_id, location_cell_geojson from exercise_notices "
                                "where location_cell_geojson is not null and start_date between ? and ?",
                   [first, last])
    assert cells, "the demo policy coarsens exercise areas near borders"
    at = open_page("map", {"layers": "notices", "from": f"{first:%Y-%m}", "to": f"{last:%Y-%m}"})
    features = _layer(_spec(at), "notices")["data"]["features"]
    drawn = [json.dumps(f["geometry"], sort_keys=True) for f in features]
    for notice_id, cell in cells:
        assert json.dumps(json.loads(cell), sort_keys=True) in drawn, notice_id
    tooltips = " ".join(f["properties"]["tooltip"] for f in features)
    assert "location coarsened to about" in tooltips


def test_changing_the_measure_changes_the_points(app_env):
    at = open_page("map", {"layers": "crossings", **whole_period(app_env)})
    before = _layer(_spec(at), "crossings")["data"]
    at.selectbox(key="map_measure").set_value("trucks").run()
    no_exception(at)
    after = _layer(_spec(at), "crossings")["data"]
    assert at.query_params["measure"] == "trucks"
    assert before != after and "trucks" in after[0]["tooltip"]


def test_hostile_names_stay_text_in_tooltips(app_env):
    at = open_page("map", {"layers": "crossings", "measure": "pedestrians", "border": "MEX-USA",
                              **whole_period(app_env)})
    points = _layer(_spec(at), "crossings")["data"]
    hostile = [p for p in points if f"USA-{XSS_PORT_CODE}" in p["tooltip"]]
    assert hostile and hostile[0]["tooltip"].startswith(XSS_PORT)


def test_bad_parameters_fall_back_with_a_warning(app_env):
    at = open_page("map", {"measure": "<b>nope</b>", "layers": "crossings,volcanoes"})
    no_exception(at)
    text = warnings_text(at)
    assert "measure" in text and "map layers" in text
    assert at.query_params["measure"] == "people"
    assert at.query_params["layers"] == "crossings"


# ---------------------------------------------------------------------------------------------- level of detail

COPIES = 40          # the test release's notices and projects, 40 times over: more than DETAIL_LIMIT of each
PERIOD = {"from": "2019-01", "to": "2026-10"}


def build_many_release(release_dir: str, folder: Path) -> str:
    """A copy of the test release in folder with every notice and project copied COPIES times (new ids; exact
    places moved by up to a few degrees so that they fill many grid cells; coarsened ones stay in their published
    cells) and a release id of its own. Takes a second."""
    shutil.copytree(release_dir, folder)
    manifest = folder / "release.json"
    info = json.loads(manifest.read_text(encoding="utf-8"))
    info["release_id"] = "many-" + info["release_id"]
    manifest.write_text(json.dumps(info), encoding="utf-8")
    con = duckdb.connect(str(folder / "borderlens.duckdb"))
    try:
        con.execute("update release_info set value = ? where key = 'release_id'", [info["release_id"]])
        for table, key in (("exercise_notices", "notice_id"), ("infrastructure_projects", "project_id")):
            exact = "location_cell_geojson is null and lat is not null"
            con.execute(f"""
                insert into {table}
                select * exclude (k) replace ({key} || '-copy-' || k as {key},
                                  case when {exact} then lat + (k % 7 - 3) * 0.6 else lat end as lat,
                                  case when {exact} then lon + (k // 7 % 6 - 3) * 0.8 else lon end as lon)
                from {table} cross join range(1, {COPIES}) r(k)""")
    finally:
        con.close()
    write_digests(folder, info["release_id"])  # as publish ends: the app checks the files against them
    return str(folder)


@pytest.fixture(scope="module")
def many_release(release_dir, tmp_path_factory) -> str:
    return build_many_release(release_dir, tmp_path_factory.mktemp("many") / "release")


@pytest.fixture
def many_env(app_env, many_release, monkeypatch):
    monkeypatch.setenv("BORDERLENS_RELEASE", many_release)
    return many_release


def _located_notices(release: str, border: tuple[str, str] | None = None) -> int:
    """Notices in PERIOD with a published place, counted straight from the release file (not via the app)."""
    where = ("n.start_date <= date '2026-10-31' and coalesce(n.end_date, n.start_date) >= date '2019-01-01' "
             "and (n.lat is not null or n.area_geojson is not null or n.location_cell_geojson is not null)")
    params = []
    if border:
        where += " and b.iso3_a = ? and b.iso3_b = ?"
        params = list(border)
    return _query(release, "select count(*) from exercise_notices n left join borders b "
                           f"on b.border_id = n.nearest_border_id where {where}", params)[0][0]


def test_many_notices_are_counted_per_cell_and_the_counts_add_up(many_env):
    at = open_page("map", {"layers": "notices,projects", **PERIOD})
    no_exception(at)
    spec = _spec(at)
    ids = {layer["id"] for layer in spec["layers"]}
    assert "notice-cells" in ids and "notices" not in ids           # no individual area reaches the browser
    assert "project-cells" in ids and "projects" not in ids
    cells = _layer(spec, "notice-cells")["data"]
    expected = _located_notices(many_env)
    assert expected > DETAIL_LIMIT
    counts = [int(re.match(r"([\d,]+) exercise notices? in this", c["tooltip"]).group(1).replace(",", ""))
              for c in cells]
    assert sum(counts) == expected
    assert all(set(c) == {"polygon", "colour", "tooltip"} for c in cells)
    # a cell is never finer than a coarsened location (h3_5, about 20 km): at least twice that wide, measured
    # independently of the code's km-per-degree: the geodesic length of the cell's width along the equator
    coarsest = max(k for (k,) in _query(many_env, "select precision_km from redactions where precision_km > 0"))
    geod = Geod(ellps="WGS84")
    for c in cells:
        (west, south), (east, _), (_, north) = c["polygon"][0], c["polygon"][1], c["polygon"][2]
        assert geod.inv(west, 0, east, 0)[2] / 1000 >= 2 * coarsest and east - west == north - south
    coarsened = _query(many_env, "select lon, lat from exercise_notices where location_cell_geojson is not null "
                                 "and start_date <= date '2026-10-31' "
                                 "and coalesce(end_date, start_date) >= date '2019-01-01'")   # in PERIOD, as drawn
    for lon, lat in coarsened:   # each coarsened notice counted in the cell holding its published centre
        assert any(c["polygon"][0][0] <= lon < c["polygon"][1][0] and c["polygon"][0][1] <= lat < c["polygon"][2][1]
                   for c in cells), (lon, lat)
    tips = " ".join(c["tooltip"] for c in cells)
    assert "Choose a border or a shorter period to see each area." in tips and "<" not in tips
    legend = " ".join(c.value for c in at.caption)
    assert "Counted per" in legend and "choose a border or a shorter period" in legend
    tooltip = json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)
    assert tooltip["text"] == "{tooltip}" and "html" not in tooltip


def test_a_narrow_filter_draws_each_area_again(many_env):
    at = open_page("map", {"layers": "notices", "border": "FIN-RUS", **PERIOD})
    no_exception(at)
    spec = _spec(at)
    assert "notice-cells" not in {layer["id"] for layer in spec["layers"]}
    features = _layer(spec, "notices")["data"]["features"]
    assert len(features) == _located_notices(many_env, ("FIN", "RUS")) > 0
    assert all(set(f["properties"]) == {"tooltip", "colour"} for f in features)
    assert "Counted per" not in " ".join(c.value for c in at.caption)


def test_the_map_stays_small_with_many_features(many_env, monkeypatch):
    at = open_page("map", {"layers": "crossings,notices,projects", **PERIOD})
    no_exception(at)
    text = at.get("deck_gl_json_chart")[0].proto.json
    assert len(text.encode("utf-8")) < 1_000_000
    assert "\n" not in text.replace("\\n", "")       # compact JSON, not pydeck's indented text
    for layer in json.loads(text)["layers"]:
        rows = layer["data"]["features"] if isinstance(layer["data"], dict) else layer["data"]
        assert isinstance(rows, str) or len(rows) <= MAX_CELLS
    # fewer cells allowed: the grid gets coarser, and every notice is still counted
    from data_pipeline.views import queries_map_areas as A
    from data_pipeline.views.queries import Filters, precision_table

    monkeypatch.setattr(A, "MAX_CELLS", 40)
    params = Filters(date_from=date(2019, 1, 1), date_to=date(2026, 10, 31)).params()
    coarse = A.notice_layer(many_env, params, precision_table(many_env))
    assert coarse.aggregated and coarse.step > A.STEPS[0] and len(coarse.cells) <= 40
    assert coarse.matched == int(coarse.table["notices"].sum()) == _located_notices(many_env)


def test_outlines_too_heavy_to_send_are_counted_per_cell(app_env, release_dir, monkeypatch):
    from data_pipeline.views import queries_map_areas as A
    from data_pipeline.views.queries import Filters, precision_table

    first, last = _synthetic_notices_period(release_dir)
    params, known = Filters(date_from=first, date_to=last).params(), precision_table(release_dir)
    assert not A.notice_layer(release_dir, params, known).aggregated
    monkeypatch.setattr(A, "LAYER_BYTES", 1_000)
    heavy = A.notice_layer(release_dir, params, known)
    assert heavy.aggregated and "MB to send" in heavy.reason and heavy.features["features"] == []


def test_long_outlines_are_simplified_not_cells():
    import math

    import pandas as pd

    from data_pipeline.views.queries_map_areas import SIMPLIFY_OVER, simplified

    ring = [[round(24 + 0.3 * math.cos(t / 800), 6), round(60 + 0.2 * math.sin(t / 800), 6)] for t in range(5027)]
    ring.append(ring[0])
    big = json.dumps({"type": "Polygon", "coordinates": [ring]})
    cell = json.dumps({"type": "Polygon", "coordinates": [[[24, 60], [25, 60], [25, 61], [24, 61], [24, 60]]]})
    out = simplified(pd.Series([big, cell, None]))
    assert len(out[0]) < SIMPLIFY_OVER and json.loads(out[0])["type"] == "Polygon"
    assert out[1] == cell and pd.isna(out[2])


def _positions(value) -> list[tuple[float, float]]:
    """Every [lon, lat] pair nested anywhere in a layer's data (rows, GeoJSON geometries, polygons)."""
    if isinstance(value, dict):
        if "lon" in value and "lat" in value:
            return [(value["lon"], value["lat"])]
        return [p for v in value.values() for p in _positions(v)]
    if isinstance(value, list):
        if len(value) == 2 and all(isinstance(v, (int, float)) for v in value):
            return [(float(value[0]), float(value[1]))]
        return [p for v in value for p in _positions(v)]
    return []


def _pixel(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    """Web Mercator pixel of a position in a world 512 * 2**zoom pixels wide (deck.gl's MapView)."""
    import math

    world = 512 * 2 ** zoom
    return ((lon + 180) / 360 * world,
            (1 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2 * world)


@pytest.mark.parametrize("frame_width", [320, 480, 800, 1400])
def test_an_embedded_map_shows_all_its_data_in_a_frame_of_any_width(release_dir, frame_width):
    """The server cannot know the embedding page's width: every drawn position of the embed's deck (the whole
    release, every layer) must lie inside the view at the embed's height for any frame from a phone's column up.
    (AppTest cannot open an embedded view; the page draws deck_for(data, MAP_FIT_WIDTH, MAP_HEIGHT).)"""
    from data_pipeline.views.embeds import MAP_FIT_WIDTH, MAP_HEIGHT
    from data_pipeline.views.map_deck import deck_for
    from data_pipeline.views.queries import Filters
    from data_pipeline.views.queries_map import map_view

    period = whole_period(release_dir)
    filters = Filters(date_from=date.fromisoformat(period["from"] + "-01"),
                      date_to=date.fromisoformat(period["to"] + "-01"))
    data = map_view(release_dir, filters, "people", ("crossings", "notices", "projects"))
    spec = json.loads(deck_for(data, MAP_FIT_WIDTH, MAP_HEIGHT).to_json())
    view = spec["initialViewState"]
    drawn = [p for layer in spec["layers"] if not layer["id"].startswith("basemap-")
             for p in _positions(layer["data"])]
    assert len(drawn) > 10
    centre_x, centre_y = _pixel(view["longitude"], view["latitude"], view["zoom"])
    for lon, lat in drawn:
        x, y = _pixel(lon, lat, view["zoom"])
        assert abs(x - centre_x) <= frame_width / 2 and abs(y - centre_y) <= MAP_HEIGHT / 2, (lon, lat, view)


def test_the_map_is_named_by_a_heading_right_above_it(app_env):
    """Streamlit gives the deck's canvas no accessible name: a real heading (h4) names what the map draws, where
    and when, directly before it, so a screen reader's heading list finds the map."""
    at = open_page("map", {"layers": "crossings,projects", "border": "CAN-USA"})
    no_exception(at)
    elements = [e for e in at.main if e.type in ("markdown", "deck_gl_json_chart")]
    position = next(i for i, e in enumerate(elements) if e.type == "deck_gl_json_chart")
    heading = elements[position - 1].value.replace("\\", "")   # markdown escapes of publisher text removed
    assert heading.startswith("#### Map: Crossing points (people, all modes), Infrastructure"), heading
    assert "Canada" in heading and "United States" in heading
