"""coarsen_location: replace an exact place by the H3 cell or grid square that holds it.

The cell's centre and polygon are computed in Python (h3, a few thousand places at most); the nearest border
and distance are then recomputed for the cell, so they cannot give the exact place back.
"""

from __future__ import annotations

import json
import math

import pyarrow as pa

from data_pipeline.publish import policy as policies
from data_pipeline.db import sql
from data_pipeline.publish.release_sql import BORDER_COLUMN, checked, flag, render, run

# Fixed SQL fragments (never user text): where each dataset keeps its geometry, and how a cell replaces it.
GEOM_SQL = {
    "crossings": {"geom": "cast(null as varchar)", "geom_set": ""},
    "exercise_notices": {"geom": 't."area_geojson"', "geom_set": '"area_geojson" = c.cell_geojson,'},
    "infrastructure_projects": {"geom": 't."geometry_geojson"',
                                "geom_set": '"geometry_geojson" = c.cell_geojson, "geometry_type" = \'Polygon\','},
}


def coarsen_location(con, rule: policies.Rule, counts) -> None:
    import shapely

    dataset, frag = rule.dataset, GEOM_SQL[rule.dataset]
    columns = policies.dataset_columns()[dataset]
    parts = dict(table=dataset, flag=flag(rule), geom=frag["geom"])
    points = con.execute(render("release/location_points", **parts), {"cell_km": rule.cell_km}).fetchall()
    rows = []
    for src_lat, src_lon, geom in points:
        lat, lon = src_lat, src_lon
        if lat is None or lon is None:
            try:
                point = shapely.from_geojson(geom).representative_point()
                lat, lon = point.y, point.x
            except Exception:  # an unreadable geometry is not published at all: the row gets no location
                lat = lon = None
        centre, polygon = cell(lat, lon, rule) if lat is not None else (None, None)
        rows.append({"src_lat": src_lat, "src_lon": src_lon, "src_geom": geom,
                     "new_lat": round(centre[0], 5) if centre else None,
                     "new_lon": round(centre[1], 5) if centre else None,
                     "cell_geojson": polygon, "precision": rule.precision, "cell_km": rule.cell_km})
    for field in rule.fields:
        counts.add(rule, field, run(con, "release/count_by_publisher", [rule.cell_km], table=dataset,
                                    predicate=f'"{flag(rule)}" and "{checked(field, columns)}" is not null '
                                              f'and (_cell_km is null or _cell_km < ?)'))
    if not rows:
        return
    frame = pa.Table.from_pylist(rows, schema=pa.schema([
        ("src_lat", pa.float64()), ("src_lon", pa.float64()), ("src_geom", pa.string()), ("new_lat", pa.float64()),
        ("new_lon", pa.float64()), ("cell_geojson", pa.string()), ("precision", pa.string()),
        ("cell_km", pa.float64())]))
    con.register("_location_cells", frame)
    try:
        con.execute(render("release/location_update", table=dataset, flag=flag(rule), geom=frag["geom"],
                           geom_set=frag["geom_set"]), {"fields": list(rule.fields)})
    finally:
        con.unregister("_location_cells")


def cell(lat: float, lon: float, rule: policies.Rule) -> tuple[tuple[float, float], str]:
    """The centre (lat, lon) and the GeoJSON polygon of the H3 cell or grid square that holds a point."""
    import h3

    options = rule.options
    assert isinstance(options, policies.CoarsenLocation)
    if options.h3_resolution is not None:
        index = h3.latlng_to_cell(lat, lon, options.h3_resolution)
        return h3.cell_to_latlng(index), _polygon_geojson([(lng, la) for la, lng in h3.cell_to_boundary(index)])
    assert options.grid_degrees is not None  # the policy gives exactly one of the two
    d = float(options.grid_degrees)
    south, west = math.floor(lat / d) * d, math.floor(lon / d) * d
    north, east = min(south + d, 90.0), min(west + d, 180.0)
    ring = [(west, south), (east, south), (east, north), (west, north)]
    return ((south + north) / 2, (west + east) / 2), _polygon_geojson(ring)


def _polygon_geojson(ring: list[tuple[float, float]]) -> str:
    """An RFC 7946 polygon (counter-clockwise exterior ring, closed, 5 decimals)."""
    ring = [(round(x, 5), round(y, 5)) for x, y in ring]
    area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]))
    if area < 0:
        ring.reverse()
    ring.append(ring[0])
    return json.dumps({"type": "Polygon", "coordinates": [[list(p) for p in ring]]}, separators=(",", ":"))


HOST_CHECKED = ("exercise_notices", "infrastructure_projects")  # location_outside_country (geo/host_country.py)


def cell_distances(con, dataset: str) -> None:
    """Nearest border and distance of each published cell (the exact place's values are cleared first)."""
    border = BORDER_COLUMN[dataset]
    run(con, "release/location_distance_clear", table=dataset, border=border)
    if dataset in HOST_CHECKED:  # whether the exact place lies outside its country, and how far
        run(con, "release/location_host_clear", table=dataset)
    cells = [r[0] for r in run(con, "release/location_distance_cells", table=dataset)]
    if not cells or not _has_land_borders(con):
        return
    import pandas as pd

    from data_pipeline.geo import nearest

    found = nearest.nearest_border_for_geometries(con, pd.DataFrame({"id": cells, "geojson": cells}))
    con.register("_cell_distances", found)
    try:
        run(con, "release/location_distance_update", table=dataset, border=border)
    finally:
        con.unregister("_cell_distances")


def _has_land_borders(con) -> bool:
    tables = {r[0] for r in con.execute(sql("release/work_tables")).fetchall()}
    return "borders" in tables and bool(con.execute(sql("geo/land_borders")).fetchall())
