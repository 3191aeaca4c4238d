"""Tests of data_pipeline.geo (reference, nearest, places) on real DuckDB files and the real Natural Earth sample files.

Expected distances come from independent computations (pyproj.Geod.fwd/inv on the source files, brute force
over densified vertices), never from the code under test.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pycountry
import pyproj
import pytest

from data_pipeline.geo import nearest, places, reference
from data_pipeline.db import open_work_db, sql

GEO_DIR = Path(__file__).resolve().parent.parent / "sample_data" / "geo"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "geo"
LAND = GEO_DIR / "ne_10m_admin_0_boundary_lines_land.geojson"
DISPUTED = GEO_DIR / "ne_10m_admin_0_boundary_lines_disputed_areas.geojson"
GEOD = pyproj.Geod(ellps="WGS84")


def _source_features(path=LAND):
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def _lines(feature):
    geometry = feature["geometry"]
    return [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]


def _can_usa_lat_at(lon: float) -> float:
    """Latitude of the Natural Earth CAN-USA line where it crosses lon, read from the source file by hand."""
    for feature in _source_features():
        props = feature["properties"]
        if {props["adm0_a3_l"], props["adm0_a3_r"]} != {"CAN", "USA"}:
            continue
        for line in _lines(feature):
            for (x1, y1), (x2, y2) in zip(line, line[1:]):
                if min(x1, x2) <= lon <= max(x1, x2) and 45 < y1 < 50 and x1 != x2:
                    return y1 + (y2 - y1) * (lon - x1) / (x2 - x1)
    raise AssertionError("no CAN-USA segment crosses that longitude")


def _dense_vertices(step_deg: float = 0.0025) -> np.ndarray:
    """Every vertex of every land line, plus evenly spaced points so no gap exceeds step_deg (numpy, not shapely)."""
    out = []
    for feature in _source_features():
        for line in _lines(feature):
            coords = np.asarray(line, dtype=float)[:, :2]
            for (x1, y1), (x2, y2) in zip(coords, coords[1:]):
                n = max(1, int(np.ceil(max(abs(x2 - x1), abs(y2 - y1)) / step_deg)))
                t = np.arange(n) / n
                out.append(np.column_stack([x1 + t * (x2 - x1), y1 + t * (y2 - y1)]))
            out.append(coords[-1:])
    return np.concatenate(out)


def _brute_force_km(vertices: np.ndarray, lon: float, lat: float) -> float:
    """Geodesic distance to the nearest densified vertex: an upper bound of the distance to the lines."""
    n = len(vertices)
    _, _, dist = GEOD.inv(np.full(n, lon), np.full(n, lat), vertices[:, 0], vertices[:, 1])
    return float(np.min(dist)) / 1000.0


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    con = open_work_db(tmp_path_factory.mktemp("geo") / "work.duckdb")
    reference.load_countries(con)
    reference.load_borders(con, LAND, DISPUTED)
    yield con
    con.close()


@pytest.fixture(scope="module")
def index(db):
    return nearest.BorderIndex.from_db(db)


@pytest.fixture(scope="module")
def vertices():
    return _dense_vertices()


def _pairs(con, kind=None):
    rows = con.execute("select iso3_a, iso3_b, kind from borders").fetchall()
    return {(a, b) for a, b, k in rows if kind is None or k == kind}


# ------------------------------------------------------------------------------------------- countries, borders


def test_countries_are_iso_plus_kosovo_and_reload_idempotently(db):
    count = reference.load_countries(db)
    rows = db.execute("select iso3, iso2, name, note from countries order by iso3").fetchall()
    assert count == len(rows) == len(pycountry.countries) + 1
    by_code = {r[0]: r for r in rows}
    assert by_code["XKX"][1:3] == ("XK", "Kosovo") and "user-assigned" in by_code["XKX"][3]
    assert by_code["DEU"][1] == "DE"
    assert pycountry.countries.get(alpha_3="XKX") is None  # XKX really is outside ISO 3166-1


def test_country_extents_come_from_natural_earth(db):
    rows = db.execute("select iso3, min_lon, min_lat, max_lon, max_lat from countries").fetchall()
    extents = {r[0]: r[1:] for r in rows}
    # Germany spans about 5.9-15.0 E, 47.3-55.1 N (atlas values); 110m generalisation moves edges a little
    assert extents["DEU"] == pytest.approx((5.9, 47.3, 15.0, 55.1), abs=0.6)
    assert extents["FRA"][0] < -50  # NE's France includes French Guiana
    assert all(v is not None for v in extents["XKX"]) and all(v is not None for v in extents["NOR"])
    assert extents["MCO"] == (None, None, None, None)  # too small for 110m: no extent rather than a wrong one


def test_ensure_reference_loads_only_what_is_missing(tmp_path):
    con = open_work_db(tmp_path / "fresh.duckdb")
    assert reference.ensure_reference(con) == {"countries": len(pycountry.countries) + 1, "borders": 508}
    assert reference.ensure_reference(con) == {"countries": 0, "borders": 0}
    con.close()


def test_borders_carry_iso_pairs(db):
    pairs = _pairs(db, "land")
    assert ("CAN", "USA") in pairs and ("MEX", "USA") in pairs
    assert any("XKX" in p for p in pairs) and ("SRB", "XKX") in pairs
    assert ("SDN", "SSD") in pairs  # NE's SDS -> SSD
    assert ("ESH", "MAR") in pairs  # NE's SAH -> ESH
    assert ("ISR", "PSE") in pairs or ("JOR", "PSE") in pairs  # NE's PSX -> PSE
    assert ("BEL", "FRA") in pairs and ("NOR", "SWE") in pairs  # NE's ISO_A3 is -99 for FRA and NOR
    codes = {c for p in _pairs(db) for c in p if c is not None}
    assert not codes & {"KOS", "SDS", "SAH", "PSX", "SOL", "CYN", "-99"}
    known = {r[0] for r in db.execute("select iso3 from countries").fetchall()}
    assert codes <= known
    # a side with no ISO code (Somaliland) stays NULL rather than guessed
    somaliland = "select count(*) from borders where border_id like 'ETH-sol-%' and iso3_b is null"
    assert db.execute(somaliland).fetchall()[0][0] == 1


def test_border_rows_are_complete_stable_and_idempotent(db):
    before = db.execute("select border_id, iso3_a, iso3_b, length_km from borders order by border_id").fetchall()
    assert len(before) == len(_source_features(LAND)) + len(_source_features(DISPUTED))
    assert reference.load_borders(db, LAND, DISPUTED) == len(before)
    after = db.execute("select border_id, iso3_a, iso3_b, length_km from borders order by border_id").fetchall()
    assert after == before
    ids = [r[0] for r in before]
    assert all(re.fullmatch(r"[A-Za-z]{3}-[A-Za-z]{3}-\d{4}", i) for i in ids)
    assert "CAN-USA-0001" in ids and "MEX-USA-0001" in ids
    kinds = dict(db.execute("select kind, count(*) from borders group by kind").fetchall())
    assert kinds == {"land": len(_source_features(LAND)), "disputed": len(_source_features(DISPUTED))}
    claims = db.execute("select kind, featurecla from borders where name like '%claim%'").fetchall()
    assert claims and all(kind == "disputed" for kind, _ in claims)
    source = db.execute("select distinct source from borders").fetchall()
    assert source == [("Natural Earth 10m admin 0 boundary lines, public domain",)]


def test_border_geometry_is_rfc7946_with_five_decimals_and_lengths_are_geodesic(db):
    rows = db.execute("select geometry_geojson, length_km from borders where kind = 'land'").fetchall()
    total = 0.0
    for text, length in rows:
        assert not re.search(r"\d\.\d{6,}", text)
        geometry = json.loads(text)
        assert set(geometry) == {"type", "coordinates"} and geometry["type"] in ("LineString", "MultiLineString")
        total += length
    # independent: sum of Geod.inv over every source segment
    expected = 0.0
    for feature in _source_features(LAND):
        for line in _lines(feature):
            c = np.asarray(line, dtype=float)
            expected += GEOD.inv(c[:-1, 0], c[:-1, 1], c[1:, 0], c[1:, 1])[2].sum() / 1000.0
    assert total == pytest.approx(expected, rel=1e-4)


# ------------------------------------------------------------------------------------------- distances


def test_point_ten_km_north_of_the_49th_parallel(db):
    lat0 = _can_usa_lat_at(-100.0)
    lon, lat, _ = GEOD.fwd(-100.0, lat0, 0.0, 10_000.0)
    result = nearest.nearest_border(db, pd.DataFrame({"id": ["p"], "lon": [lon], "lat": [lat]}))
    assert result.loc[0, "border_id"].startswith("CAN-USA-")
    assert result.loc[0, "distance_km"] == pytest.approx(10.0, abs=0.1)


def test_derby_line_vermont_is_on_the_border(db):
    result = nearest.nearest_border(db, pd.DataFrame({"id": [1], "lon": [-72.0994], "lat": [45.005]}))
    assert result.loc[0, "border_id"].startswith("CAN-USA-")
    assert result.loc[0, "distance_km"] < 2.0


@pytest.mark.parametrize(
    "lon, lat",
    [(-98.0, 39.0), (10.0, 50.5), (30.5, 69.0), (25.0, 10.0), (95.0, 35.0), (-60.0, -20.0), (140.0, -25.0),
     (2.35, 48.86)],
)
def test_distance_matches_brute_force_over_dense_vertices(db, index, vertices, lon, lat):
    expected = _brute_force_km(vertices, lon, lat)  # an upper bound of the distance to the lines
    got = nearest.nearest_border(db, pd.DataFrame({"id": [0], "lon": [lon], "lat": [lat]}), index).loc[0, "distance_km"]
    assert got <= expected + 0.005
    # vertices are at most 0.0025 degree (< 0.28 km) apart, so the brute force overshoots by at most h^2 / 2d
    sampling = 0.14**2 / (2 * got)
    assert got >= expected * 0.995 - sampling


def test_midpoint_of_the_longest_segment_is_on_the_line(db, index):
    """Natural Earth lines are straight in lon/lat; a long piece bows away from the geodesic by ~50 m."""
    longest = max(
        ((abs(x2 - x1) + abs(y2 - y1)), (x1 + x2) / 2, (y1 + y2) / 2)
        for feature in _source_features()
        for line in _lines(feature)
        for (x1, y1), (x2, y2) in zip(line, line[1:])
    )
    assert longest[0] > 0.5
    result = nearest.nearest_border(db, pd.DataFrame({"id": [0], "lon": [longest[1]], "lat": [longest[2]]}), index)
    assert result.loc[0, "distance_km"] < 0.005


def test_far_inland_point_within_one_percent(db, vertices):
    expected = _brute_force_km(vertices, -98.0, 39.0)
    result = nearest.nearest_border(db, pd.DataFrame({"id": [0], "lon": [-98.0], "lat": [39.0]}))
    assert 500 < expected < 1500
    assert expected * 0.99 <= result.loc[0, "distance_km"] <= expected + 0.005


def test_pair_preference_and_fallback(db, index):
    points = pd.DataFrame(
        {
            "id": ["derby", "derby_as_mex", "derby_no_pair", "tokyo"],
            "lon": [-72.0994, -72.0994, -72.0994, 139.69],
            "lat": [45.005, 45.005, 45.005, 35.69],
            "pair_a": ["USA", "USA", None, "JPN"],
            "pair_b": ["CAN", "MEX", None, "FRA"],
        }
    )
    result = nearest.nearest_border(db, points, index).set_index("id")
    assert result.loc["derby", "border_id"].startswith("CAN-USA-")
    assert result.loc["derby_as_mex", "border_id"].startswith("MEX-USA-")
    # Derby Line to the nearest point of the Rio Grande: well over 2,000 km (El Paso is about 3,000 km away)
    assert 2000 < result.loc["derby_as_mex", "distance_km"] < 3500
    assert result.loc["derby_no_pair", "border_id"].startswith("CAN-USA-")
    assert result.loc["tokyo", "border_id"] is not None  # JPN-FRA has no border: any border is used


def test_invalid_points_give_nulls(db, index):
    points = pd.DataFrame({"id": [1, 2, 3], "lon": [None, 200.0, -72.0994], "lat": [45.0, 45.0, 45.005]})
    result = nearest.nearest_border(db, points, index)
    assert result["border_id"].isna().tolist() == [True, True, False]
    assert result["distance_km"].isna().tolist() == [True, True, False]


def _square(south: float, north: float, west: float = -100.1, east: float = -99.9) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_geometries_polygons_lines_points(db, index):
    lat0 = _can_usa_lat_at(-100.0)
    lon_p, lat_p, _ = GEOD.fwd(-100.0, lat0, 0.0, 25_000.0)
    frame = pd.DataFrame(
        {
            "id": ["crossing", "north", "line", "point", "covers", "broken", "missing"],
            "geojson": [
                json.dumps(_square(lat0 - 0.1, lat0 + 0.1)),
                json.dumps(_square(49.5, 49.7)),
                json.dumps({"type": "LineString", "coordinates": [[-100.0, 49.3], [-101.0, 49.6]]}),
                json.dumps({"type": "Point", "coordinates": [lon_p, lat_p]}),
                json.dumps(_square(40.0, 55.0)),
                "{not json",
                None,
            ],
        }
    )
    result = nearest.nearest_border_for_geometries(db, frame, index).set_index("id")
    assert result.loc["crossing", "distance_km"] == 0.0 and result.loc["crossing", "border_id"].startswith("CAN-USA-")
    assert result.loc["covers", "distance_km"] == 0.0
    north = GEOD.inv(-100.0, 49.5, -100.0, lat0)[2] / 1000.0  # its south edge runs along a parallel
    assert result.loc["north", "distance_km"] == pytest.approx(north, rel=0.005)
    line = GEOD.inv(-100.0, 49.3, -100.0, lat0)[2] / 1000.0  # the line's south end is its closest approach
    assert result.loc["line", "distance_km"] == pytest.approx(line, rel=0.005)
    assert result.loc["point", "distance_km"] == pytest.approx(25.0, abs=0.1)
    assert result.loc["broken"].isna().all() and result.loc["missing"].isna().all()


def test_a_shape_is_measured_as_in_projs_equidistant_frame(db, index):
    """nearest_geometry projects with Geod.inv in numpy instead of a PROJ transformer per shape: the distances are
    those of the same shapes and every segment that could be nearest projected by PROJ's aeqd (equidistant_crs) and measured by
    shapely, for lines and polygons near and far from a border."""
    import shapely

    segments = index.everything
    shapes = [shapely.from_geojson(json.dumps(g)) for g in (
        _square(49.5, 49.7),
        {"type": "LineString", "coordinates": [[-100.0, 49.3], [-101.0, 49.6]]},
        {"type": "LineString", "coordinates": [[-95.0, 40.0], [-90.0, 42.0], [-85.0, 39.0]]},
        {"type": "Polygon", "coordinates": [[[10.0, 50.2], [10.4, 50.2], [10.4, 50.5], [10.0, 50.5], [10.0, 50.2]]]},
    )]
    ends = np.stack([np.column_stack([segments.ax, segments.ay]), np.column_stack([segments.bx, segments.by])], 1)
    longest = (GEOD.inv(segments.ax, segments.ay, segments.bx, segments.by)[2] / 1000.0).max()

    def km_from(lon, lat, xy):
        return GEOD.inv(np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1])[2] / 1000.0

    for shape in shapes:
        border, km = segments.nearest_geometry(shape)
        rep = shapely.point_on_surface(shape)
        to_frame = pyproj.Transformer.from_crs(nearest.WGS84, nearest.equidistant_crs(rep.x, rep.y), always_xy=True)

        def project(xy, to_frame=to_frame):
            return np.column_stack(to_frame.transform(*xy.T))

        # every segment that could be the nearest: an end within the distance found, plus the shape's reach from
        # its centre and the longest segment, of the centre (a superset; PROJ's frame measures them all)
        reach = km_from(rep.x, rep.y, shapely.get_coordinates(shape)).max()
        near = km_from(rep.x, rep.y, ends[:, 0]) <= km * 1.01 + reach + longest + 1.0
        assert 0 < near.sum() < len(near)
        lines = shapely.transform(shapely.linestrings(ends[near]), project)
        dense = shapely.transform(shapely.segmentize(shape, nearest.DENSIFY_DEG), project)
        by_proj = shapely.distance(dense, lines)
        assert km == pytest.approx(by_proj.min(), abs=1e-6) and km > 0
        nearest_found = np.flatnonzero(near)[np.isclose(by_proj, by_proj.min(), atol=1e-6)][0]
        assert segments.border[nearest_found] == border


def test_five_thousand_points_in_one_call_each_get_their_nearest_border(db, index, vertices):
    """The batch path (one vectorised search per border pair) gives every point the answer a brute force gives;
    how fast it is on this machine is measured by bench/, not asserted here."""
    rng = np.random.default_rng(7)
    points = pd.DataFrame(
        {"id": range(5000), "lon": rng.uniform(-125, 45, 5000), "lat": rng.uniform(-35, 65, 5000),
         "pair_a": rng.choice(["CAN", "MEX", None], 5000), "pair_b": "USA"}
    )
    result = nearest.nearest_border(db, points, index).set_index("id")
    assert result["distance_km"].notna().all() and len(result) == 5000
    unpaired = points[points["pair_a"].isna()].sample(6, random_state=7)
    for row in unpaired.itertuples():
        expected = _brute_force_km(vertices, row.lon, row.lat)   # an upper bound of the distance to the lines
        got = result.loc[row.id, "distance_km"]
        assert expected * 0.995 - 0.14**2 / (2 * got) <= got <= expected + 0.005, (row.lon, row.lat)


# ------------------------------------------------------------------------------------------- derive


def test_derive_fills_the_three_tables(tmp_path):
    con = open_work_db(tmp_path / "derive.duckdb")
    reference.load_countries(con)
    reference.load_borders(con, LAND, DISPUTED)
    lat0 = _can_usa_lat_at(-100.0)
    lon10, lat10, _ = GEOD.fwd(-100.0, lat0, 0.0, 10_000.0)
    # rows stored as the ingest stores them: staged as _incoming, then canonical/crossings_insert
    con.execute("create temp table _rows as select * from crossings limit 0")
    con.execute("create temp view _incoming as select * from _rows")
    crossing = (
        "insert into _rows (location_id, country_iso3, neighbor_iso3, direction, period_start, period_granularity,"
        " measure, value_status, lat, lon, source_id, source_line) values (?, ?, ?, 'inbound', ?, 'month', 'trucks',"
        " 'reported', ?, ?, 'test', ?)"
    )
    con.execute(crossing, ["USA-0001", "USA", "CAN", "2024-01-01", lat10, lon10, 1])
    con.execute(crossing, ["USA-0001", "USA", "CAN", "2024-02-01", lat10, lon10, 2])
    con.execute(crossing, ["USA-0002", "USA", "MEX", "2024-01-01", lat10, lon10, 3])  # same spot, pair says MEX
    con.execute(crossing, ["USA-0003", "USA", "CAN", "2024-01-01", None, None, 4])
    con.execute(sql("canonical/macros"))
    con.execute(sql("canonical/crossings_insert"))
    area = json.dumps(_square(lat0 - 0.1, lat0 + 0.1))
    notice = (
        "insert into exercise_notices (notice_id, area_geojson, lat, lon, source_id, source_line)"
        " values (?, ?, ?, ?, 'test', ?)"
    )
    con.execute(notice, ["N1", area, None, None, 1])
    con.execute(notice, ["N2", None, lat10, lon10, 2])
    con.execute(notice, ["N3", None, None, None, 3])
    project = (
        "insert into infrastructure_projects"
        " (project_id, geometry_geojson, countries_iso3, lat, lon, source_id, source_line)"
        " values (?, ?, ?, ?, ?, 'test', ?)"
    )
    bridge = json.dumps({"type": "LineString", "coordinates": [[-100.0, lat0 - 0.05], [-100.0, lat0 + 0.05]]})
    con.execute(project, ["P1", bridge, ["USA", "CAN"], None, None, 1])
    con.execute(project, ["P2", None, None, lat10, lon10, 2])
    con.execute(project, ["P3", None, None, None, None, 3])

    counts = places.derive(con)
    # crossings: two places (USA-0001's two months share one), USA-0003 has no coordinates
    assert counts == {"crossings": 2, "exercise_notices": 2, "infrastructure_projects": 2}
    rows = con.execute("select location_id, source_line, border_id, distance_to_border_km from crossings").fetchall()
    crossings = {(r[0], r[1]): (r[2], r[3]) for r in rows}
    for key in (("USA-0001", 1), ("USA-0001", 2)):
        assert crossings[key][0].startswith("CAN-USA-") and crossings[key][1] == pytest.approx(10.0, abs=0.1)
    assert crossings[("USA-0002", 3)][0].startswith("MEX-USA-") and crossings[("USA-0002", 3)][1] > 1000
    assert crossings[("USA-0003", 4)] == (None, None)
    rows = con.execute("select notice_id, nearest_border_id, distance_to_border_km from exercise_notices").fetchall()
    notices = {r[0]: r[1:] for r in rows}
    assert notices["N1"][0].startswith("CAN-USA-") and notices["N1"][1] == 0.0
    assert notices["N2"][1] == pytest.approx(10.0, abs=0.1)
    assert notices["N3"] == (None, None)
    rows = con.execute(
        "select project_id, nearest_border_id, distance_to_border_km from infrastructure_projects"
    ).fetchall()
    projects = {r[0]: r[1:] for r in rows}
    assert projects["P1"][0].startswith("CAN-USA-") and projects["P1"][1] == 0.0
    assert projects["P2"][1] == pytest.approx(10.0, abs=0.1)
    assert projects["P3"] == (None, None)
    before = con.execute("select * from crossings order by source_line").fetchall()
    # Idempotent, and a second run writes nothing: only rows whose values would change are updated.
    assert places.derive(con) == {"crossings": 0, "exercise_notices": 0, "infrastructure_projects": 0}
    assert con.execute("select * from crossings order by source_line").fetchall() == before
    con.close()


# ------------------------------------------------------------------------------------------- basemap


def test_basemap_files_are_light_and_match_the_committed_ones(tmp_path):
    sizes = reference.write_basemap(tmp_path)
    assert set(sizes) == {"countries_110m.geojson", "borders_land_50m.geojson", "borders_disputed_10m.geojson"}
    expected_props = {
        "countries_110m.geojson": ({"ISO_A3", "ADM0_A3", "NAME"}, 3),
        "borders_land_50m.geojson": ({"featurecla"}, 3),
        "borders_disputed_10m.geojson": ({"featurecla", "name"}, 4),
    }
    for name, size in sizes.items():
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert size < 400_000
        props, decimals = expected_props[name]
        data = json.loads(text)
        assert data["type"] == "FeatureCollection" and data["features"]
        assert all(set(f["properties"]) == props for f in data["features"])
        assert not re.search(r"\d\.\d{%d,}" % (decimals + 1), text)
        assert (STATIC_DIR / name).read_bytes() == (tmp_path / name).read_bytes(), f"static/geo/{name} is stale"
    countries = json.loads((tmp_path / "countries_110m.geojson").read_text(encoding="utf-8"))["features"]
    iso = {f["properties"]["NAME"]: f["properties"]["ISO_A3"] for f in countries}
    assert iso["France"] == "FRA" and iso["Norway"] == "NOR" and iso["Kosovo"] == "XKX"


def test_lease_and_overlay_limits_are_not_borders(db):
    """Guantanamo's lease limit separates no two states: a point beside it is far from any border."""
    limits = db.execute("select count(*) from borders where featurecla in ('Lease limit', 'Overlay limit')").fetchall()
    assert limits[0][0] > 0  # the lines are loaded (drawn on the map), only not measured to
    result = nearest.nearest_border(db, pd.DataFrame({"id": ["gtmo"], "lon": [-75.13], "lat": [19.93]}))
    kind = db.execute("select featurecla from borders where border_id = ?", [result.loc[0, "border_id"]]).fetchall()
    assert kind[0][0] not in ("Lease limit", "Overlay limit")
    assert result.loc[0, "distance_km"] > 100  # the nearest land border is Haiti's, across the sea
