"""Each place's nearest border and its distance, written into crossings, exercise_notices and
infrastructure_projects at ingest (sql/geo/update_*.sql read the results as lists bound as parameters).

Plain lists and numpy arrays, no pandas: importing pandas would cost every ingest about 0.2 s."""

from __future__ import annotations

import duckdb
import numpy as np

from data_pipeline.db import sql
from data_pipeline.geo.geojson import parse_geojson
from data_pipeline.geo.nearest import BorderIndex, nearest_geometries, nearest_points


def _float(values: list) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def _measure(index: BorderIndex, places: dict[str, list], geojson_column: str | None) -> dict[str, list]:
    """Nearest border for each distinct place (columns as lists): its GeoJSON when readable, else its lon/lat
    point. Returns the places that have a nearest border, with border_id and distance_km added."""
    count = len(places["lat"])
    shapes = [parse_geojson(t) for t in places[geojson_column]] if geojson_column else [None] * count
    pairs = index.pairs_of(places["pair_a"], places["pair_b"]) if "pair_a" in places else [None] * count
    border, dist = np.full(count, -1), np.full(count, np.nan)
    shaped = np.array([s is not None for s in shapes], dtype=bool)
    if shaped.any():
        rows = np.flatnonzero(shaped)
        border[rows], dist[rows] = nearest_geometries(index, [shapes[r] for r in rows], [pairs[r] for r in rows])
    if (~shaped).any():
        rows = np.flatnonzero(~shaped)
        lon, lat = _float([places["lon"][r] for r in rows]), _float([places["lat"][r] for r in rows])
        border[rows], dist[rows] = nearest_points(index, lon, lat, [pairs[r] for r in rows])
    found = np.flatnonzero(border >= 0).tolist()
    result = {name: [values[r] for r in found] for name, values in places.items()}
    result["border_id"] = index.border_ids_of(border[found])
    result["distance_km"] = dist[found].tolist()
    return result


def _columns(con: duckdb.DuckDBPyConnection, statement: str) -> dict[str, list]:
    """A query's result as lists per column."""
    cursor = con.execute(sql(statement))
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    return {name: [row[i] for row in rows] for i, name in enumerate(names)}


def derive(con: duckdb.DuckDBPyConnection, index: BorderIndex | None = None) -> dict[str, int]:
    """Fill nearest border and distance in crossings, exercise_notices and infrastructure_projects.

    Geometry runs once per distinct location; each table gets one set-based UPDATE ... FROM of the rows whose
    values change (so adding a small file to a large database does not rewrite every row). Returns the number
    of rows updated per table; for crossings, of places (crossing_places: the border is a property of the place).
    """
    index = BorderIndex.from_db(con) if index is None else index
    crossings = _columns(con, "geo/crossing_locations")
    crossings.update(pair_a=crossings["country_iso3"], pair_b=crossings["neighbor_iso3"])
    crossing_results = _measure(index, crossings, None)
    del crossing_results["pair_a"], crossing_results["pair_b"]
    plan = [
        ("crossings", crossing_results, "geo/update_crossings"),
        ("exercise_notices", _measure(index, _columns(con, "geo/notice_locations"), "area_geojson"),
         "geo/update_notices"),
        ("infrastructure_projects", _measure(index, _columns(con, "geo/project_locations"), "geometry_geojson"),
         "geo/update_projects"),
    ]
    updated = {}
    con.execute("begin transaction")
    try:
        for table, results, statement in plan:
            if not results["border_id"]:
                updated[table] = 0
                continue
            updated[table] = con.execute(sql(statement), results).fetchall()[0][0]
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return updated
