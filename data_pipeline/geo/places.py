"""Each place's nearest border and its distance, written into crossings, exercise_notices and
infrastructure_projects at ingest (sql/geo/*.sql joins the small frames computed here)."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from data_pipeline.db import sql
from data_pipeline.geo.geojson import parse_geojson
from data_pipeline.geo.nearest import BorderIndex, nearest_border, nearest_border_for_geometries


def _measure(con, index: BorderIndex, places: pd.DataFrame, geojson_column: str | None) -> pd.DataFrame:
    """Nearest border for each distinct place: its GeoJSON when readable, else its lon/lat point."""
    places = places.reset_index(drop=True)
    places["id"] = places.index
    use_shape = np.zeros(len(places), dtype=bool)
    if geojson_column is not None:
        use_shape = np.array([parse_geojson(t) is not None for t in places[geojson_column]], dtype=bool)
    parts = []
    if use_shape.any():
        shaped = places[use_shape].rename(columns={geojson_column: "geojson"})
        parts.append(nearest_border_for_geometries(con, shaped, index))
    if (~use_shape).any():
        parts.append(nearest_border(con, places[~use_shape], index))
    if not parts:
        return places.assign(border_id=None, distance_km=np.nan).iloc[0:0]
    found = pd.concat(parts).set_index("id")
    places = places.join(found, on="id").drop(columns=["id"])
    return places[places["border_id"].notna()].reset_index(drop=True)


def derive(con: duckdb.DuckDBPyConnection, index: BorderIndex | None = None) -> dict[str, int]:
    """Fill nearest border and distance in crossings, exercise_notices and infrastructure_projects.

    Geometry runs once per distinct location; each table gets one set-based UPDATE ... FROM of the rows whose
    values change (so adding a small file to a large database does not rewrite every row). Returns the number
    of rows updated per table; for crossings, of places (crossing_places: the border is a property of the place).
    """
    index = BorderIndex.from_db(con) if index is None else index
    crossings = con.execute(sql("geo/crossing_locations")).df()
    crossings = crossings.assign(pair_a=crossings["country_iso3"], pair_b=crossings["neighbor_iso3"])
    crossing_results = _measure(con, index, crossings, None).drop(columns=["pair_a", "pair_b"])
    notice_results = _measure(con, index, con.execute(sql("geo/notice_locations")).df(), "area_geojson")
    project_results = _measure(con, index, con.execute(sql("geo/project_locations")).df(), "geometry_geojson")
    plan = [
        ("crossings", "geo_crossing_results", crossing_results, "geo/update_crossings"),
        ("exercise_notices", "geo_notice_results", notice_results, "geo/update_notices"),
        ("infrastructure_projects", "geo_project_results", project_results, "geo/update_projects"),
    ]
    updated = {}
    con.execute("begin transaction")
    try:
        for table, view, frame, statement in plan:
            if frame.empty:
                updated[table] = 0
                continue
            con.register(view, frame)
            try:
                updated[table] = con.execute(sql(statement)).fetchall()[0][0]
            finally:
                con.unregister(view)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return updated
