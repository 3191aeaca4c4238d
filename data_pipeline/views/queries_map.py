"""Map page: deck-ready layers with only what the map draws (position, size, colour, tooltip text), sized on the
server so that a view stays small however large the release.

Crossing points are summed per place in DuckDB (the largest MAX_POINTS drawn); exercise areas and projects are
drawn one by one when few, else counted per grid cell (queries_map_areas). Tooltips are plain text built here
from flattened values; nothing from the data goes into a URL or HTML. Coarsened locations become their cell
polygons, never points.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_pipeline.views.map_style import (BASEMAP_LAYERS, BASEMAP_LEGEND, BLACK, BLUE, CROSSING_COLOUR,  # noqa: F401
                                     CROSSING_LEGEND, CROSSING_WITHHELD_COLOUR, GREEN, GREY, NOTICE_COLOURS,
                                     NOTICE_LINE_COLOUR, ORANGE, OTHER_PROJECT, PROJECT_COLOURS, PURPLE, VERMILLION,
                                     CompactDeck, legend_item, rgba, view_for)
from data_pipeline.views.queries import (Filters, location_marker, measure_label, measures_for, precision_table, run,
                                   value_text)
from data_pipeline.views.queries_map_areas import (DETAIL_LIMIT, EMPTY, Drawn, _collection, _coords,  # noqa: F401
                                             _feature, _geometry, _point, notice_layer, project_layer)

MAX_POINTS = 1_500   # crossing points drawn at most (the largest, ~180 bytes each); the legend says when more exist
MAX_RADIUS_M = 40_000
MIN_RADIUS_M = 2_500
POINT_COLUMNS = ["lon", "lat", "radius", "withheld", "tooltip", "area", "name"]
PORT_KINDS = ("crossing_point",)   # other place kinds (route, region, border section, ...) draw as labelled areas


@dataclass(frozen=True)
class MapData:
    crossings: pd.DataFrame          # lon, lat, radius, withheld (all figures), tooltip, area (not a crossing point:
                                     # a route or region, drawn as a labelled ring), name: one row per place
    crossing_cells: dict             # FeatureCollection of coarsened crossing locations
    crossing_table: pd.DataFrame     # the crossing places drawn, for the data table
    notices: Drawn                   # exercise areas, one by one or per grid cell
    projects: Drawn                  # infrastructure projects, one by one or per grid cell
    counts: dict                     # what is drawn, for the legend
    bounds: tuple[float, float, float, float] | None   # min lon, min lat, max lon, max lat
    measure_label: str


def crossing_tooltips(rows: pd.DataFrame, label: str, period: str, known_km: dict | None = None) -> pd.Series:
    """Each place's tooltip: name (id), the total and the months its figures cover (within the period chosen; a
    place whose figures start later or end earlier says so, not the slider's period), how many figures are
    withheld, coarsening."""
    name = rows["location_name"].where(rows["location_name"].fillna("") != "", rows["location_id"])
    if {"first_period", "last_period"} <= set(rows.columns):
        period = pd.Series([_months(a, b, period) for a, b in zip(rows["first_period"], rows["last_period"])],
                           index=rows.index)
    markers = {p: location_marker(p, known_km) for p in rows["location_precision"].dropna().unique()}
    marker = rows["location_precision"].map(markers).fillna("")
    withheld = rows["withheld"].fillna(0).astype(int)
    total = rows["total"].map(lambda v: value_text(v, None))
    return (name + " (" + rows["location_id"] + ")\n" + f"{label}: " + total + " (" + period + ")"
            + np.where(withheld > 0, "\n" + withheld.map("{:,}".format) + " of "
                       + rows["figures"].map("{:,}".format) + " monthly figures withheld", "")
            + np.where(marker != "", "\n" + marker, ""))


def _months(first, last, fallback: str) -> str:
    """'Mar 2024 – Feb 2025': the first and last month of a place's figures (the period chosen when unknown)."""
    if pd.isna(first) or pd.isna(last):
        return fallback
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    return f"{first:%b %Y}" if first == last else f"{first:%b %Y} – {last:%b %Y}"


def crossing_points(release_path: str, params: dict, measure: str, label: str, period: str, known: dict):
    """(points, cells, table, counts): the largest MAX_POINTS places, summed in SQL, one row each."""
    rows = run(release_path, "map_crossings", {**params, "measures": measures_for(measure), "max_points": MAX_POINTS})
    total_locations = int(rows["locations_total"].iloc[0]) if len(rows) else 0
    tooltip = crossing_tooltips(rows, label, period, known) if len(rows) else pd.Series(dtype=str)
    is_cell = rows["location_cell_geojson"].notna()
    placed = rows["lat"].notna() & rows["lon"].notna() & ~is_cell
    top = rows["total"].max() if len(rows) else None
    share = (rows["total"] / top).fillna(0.0).clip(lower=0) if top and top > 0 else pd.Series(0.0, index=rows.index)
    radius = (MIN_RADIUS_M + (MAX_RADIUS_M - MIN_RADIUS_M) * np.sqrt(share)).round().astype(int)
    area = ~rows["place_kind"].fillna(PORT_KINDS[0]).isin(PORT_KINDS)
    name = rows["location_name"].where(rows["location_name"].fillna("") != "", rows["location_id"])
    points = pd.DataFrame({"lon": rows["lon"], "lat": rows["lat"], "radius": radius, "withheld": rows["total"].isna(),
                           "tooltip": tooltip, "area": area, "name": name.where(area, "")}
                          )[placed].reset_index(drop=True)
    cells = [_feature(g, t, CROSSING_COLOUR) for g, t in zip(rows.loc[is_cell, "location_cell_geojson"].map(_geometry),
                                                            tooltip[is_cell]) if g is not None]
    table = rows.loc[placed | is_cell, ["location_id", "location_name", "place_kind", "country_iso3", "neighbor_iso3",
                                        "lon", "lat", "total", "figures", "withheld"]].reset_index(drop=True)
    counts = {"crossings": int((placed & ~area).sum()) + len(cells), "areas": int((placed & area).sum()),
              "unplaced": int(len(rows) - placed.sum() - len(cells)),
              "crossing_cells": len(cells), "not_drawn": max(total_locations - len(rows), 0)}
    return points, _collection(cells), table, counts


def _union(*given) -> tuple[float, float, float, float] | None:
    boxes = [b for b in given if b is not None]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def map_view(release_path: str, filters: Filters, measure: str, show: tuple[str, ...]) -> MapData:
    params = filters.params()
    label = measure_label(measure)
    period = f"{filters.date_from:%b %Y} – {filters.date_to:%b %Y}"
    known = precision_table(release_path)

    points, cells = pd.DataFrame(columns=POINT_COLUMNS), _collection([])
    table = pd.DataFrame()
    counts = {"crossings": 0, "areas": 0, "unplaced": 0, "crossing_cells": 0, "not_drawn": 0}
    crossing_bounds = None
    if "crossings" in show:
        points, cells, table, counts = crossing_points(release_path, params, measure, label, period, known)
        xs = list(points["lon"]) + [x for f in cells["features"] for x, _ in _coords(f["geometry"])]
        ys = list(points["lat"]) + [y for f in cells["features"] for _, y in _coords(f["geometry"])]
        crossing_bounds = (min(xs), min(ys), max(xs), max(ys)) if xs else None
    notices = notice_layer(release_path, params, known) if "notices" in show else EMPTY
    projects = project_layer(release_path, params, known) if "projects" in show else EMPTY
    counts = {**counts, "notices": notices.matched, "projects": projects.matched}
    return MapData(crossings=points, crossing_cells=cells, crossing_table=table, notices=notices, projects=projects,
                   counts=counts, bounds=_union(crossing_bounds, notices.bounds, projects.bounds),
                   measure_label=label)
