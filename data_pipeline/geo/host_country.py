"""Is each notice's and project's point in the country it takes place in? (issue 11, point 7)

The country is the row's host_iso3 when the publisher names one (an exercise held abroad, a project funded by one
state in another), else its own country: the notifying state of a notice, the country of a project. A point more
than TOLERANCE_KM outside that country's outline (Natural Earth 110m, the outlines behind the countries' extents)
gets location_outside_country = true and outside_country_km, the geodesic distance to the outline; a point inside
(or within the tolerance) gets false. A country too small for the 110m outlines, and a row without a point (an area
only, or a location withheld), stay NULL: not checked.

A pair of coordinates that fits the country only once exchanged is quarantined at ingest as coordinates_swapped,
against the same country's extent (sql/canonical/*_typed.sql), so a swapped pair is never published as 'outside'.
Runs on the distinct points not yet checked, after each ingest; results are bound as lists into sql/geo/*_host.sql.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb
import numpy as np
import pyproj
import shapely

from data_pipeline.db import sql
from data_pipeline.geo.geojson import read_features_plain
from data_pipeline.geo.nearest import WGS84, equidistant_crs
from data_pipeline.geo.reference import COUNTRIES_110M, SAMPLE_GEO_DIR, ne_iso3_table, ne_to_iso3

# The 110m outlines are generalised: a place on a coast or at a border crossing may fall a few km outside its
# country's outline. Beyond this a point is not a rounding of the outline.
TOLERANCE_KM = 25.0
PLAN = (("exercise_notices", "geo/notice_host_points", "geo/update_notices_host"),
        ("infrastructure_projects", "geo/project_host_points", "geo/update_projects_host"))


@cache
def country_outlines(countries_path: Path) -> dict[str, shapely.Geometry]:
    """Each ISO alpha-3 country's outline (the union of its Natural Earth features), read once per process."""
    table = ne_iso3_table(countries_path)
    parts: dict[str, list] = {}
    for props, geom in read_features_plain(countries_path):
        iso = ne_to_iso3(props.get("ADM0_A3"), table)
        if iso and geom is not None and not geom.is_empty:
            parts.setdefault(iso, []).append(geom)
    return {iso: shapely.union_all(geoms) for iso, geoms in parts.items()}


def outside_km(outline: shapely.Geometry, lon: float, lat: float) -> float:
    """Geodesic km from the point to the outline (0 inside), measured in the point's equidistant frame."""
    if outline.covers(shapely.Point(lon, lat)):
        return 0.0
    to_frame = pyproj.Transformer.from_crs(WGS84, equidistant_crs(lon, lat), always_xy=True)
    projected = shapely.transform(outline, lambda xy: np.column_stack(to_frame.transform(xy[:, 0], xy[:, 1])))
    return float(shapely.distance(projected.buffer(0), shapely.Point(0, 0)))


def check(con: duckdb.DuckDBPyConnection, countries_path: Path | None = None) -> dict[str, int]:
    """Fill location_outside_country and outside_country_km where not yet checked; rows updated per table."""
    path = Path(countries_path or SAMPLE_GEO_DIR / COUNTRIES_110M)
    updated = {}
    for table, points_sql, update_sql in PLAN:
        points = con.execute(sql(points_sql)).fetchall()
        if not points:
            updated[table] = 0
            continue
        outlines = country_outlines(path)
        results: dict[str, list] = {"lat": [], "lon": [], "iso3": [], "outside": [], "km": []}
        for lat, lon, iso3 in points:
            outline = outlines.get(iso3)
            if outline is None:
                continue
            km = outside_km(outline, float(lon), float(lat))
            for name, value in zip(results, (lat, lon, iso3, km > TOLERANCE_KM,
                                             round(km, 1) if km > TOLERANCE_KM else None)):
                results[name].append(value)
        updated[table] = con.execute(sql(update_sql), results).fetchall()[0][0] if results["lat"] else 0
    return updated
