"""Map page: deck-ready layers with only the columns the map draws (position, size, colour, tooltip text).

Tooltips are plain text built here from flattened values; nothing from the data goes into a URL or HTML.
Coarsened locations become their cell polygons, never points.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import pandas as pd

from data_pipeline.charts import PALETTE
from data_pipeline.queries import (Filters, location_marker, measure_label, measures_for, precision_table, run,
                                   status_marker, time_marker)

# Colours (RGBA) from the colour-blind-safe Okabe–Ito palette (charts.PALETTE), grey for withheld or unknown,
# with the Streamlit markdown colour nearest to each (for the glyph in the text legend) and its Okabe–Ito name.
GREY = "#999999"


def rgba(hex_colour: str, alpha: int = 255) -> list[int]:
    """[r, g, b, a] of a #RRGGBB colour, as pydeck takes it."""
    return [int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)] + [alpha]


BLUE, ORANGE, GREEN, PURPLE, VERMILLION, BLACK = (PALETTE[4], PALETTE[0], PALETTE[2], PALETTE[6], PALETTE[5],
                                                   PALETTE[7])
CROSSING_COLOUR = rgba(BLUE, 190)
CROSSING_WITHHELD_COLOUR = rgba(GREY, 160)
CROSSING_LEGEND = (CROSSING_COLOUR, "blue", "blue")
NOTICE_COLOURS = {"late": (rgba(VERMILLION, 110), "red", "vermillion"),
                  "on time": (rgba(PURPLE, 110), "violet", "reddish purple"),
                  "unknown": (rgba(GREY, 110), "gray", "grey")}
NOTICE_LINE_COLOUR = rgba(BLACK, 160)
PROJECT_COLOURS = {
    "planned": (rgba(BLUE, 230), "blue", "blue"),
    "under_construction": (rgba(ORANGE, 230), "orange", "orange"),
    "completed": (rgba(GREEN, 230), "green", "bluish green"),
    "suspended": (rgba(PURPLE, 230), "violet", "reddish purple"),
    "cancelled": (rgba(GREY, 230), "gray", "grey"),
}
OTHER_PROJECT = (rgba(BLACK, 230), "gray", "black")


def legend_item(colour: tuple, label: str, glyph: str = "■") -> str:
    """One entry of a map's text legend: the glyph in the nearest Streamlit colour, the label and the colour's
    Okabe–Ito name in words (so the legend does not rest on colour alone)."""
    return f":{colour[1]}[{glyph}] {label} ({colour[2]})"


# The offline basemap: Natural Earth files served by Streamlit's static file server (server.enableStaticServing,
# files in static/geo/). Relative URLs, so the browser asks only this site. Keyword arguments for
# pydeck.Layer("GeoJsonLayer", ...); disputed and claimed boundaries are dashed and red.
BASEMAP_LAYERS = (
    {"data": "app/static/geo/countries_110m.geojson", "id": "basemap-countries", "stroked": True, "filled": True,
     "get_fill_color": [236, 236, 232], "get_line_color": [255, 255, 255], "line_width_min_pixels": 0.5},
    {"data": "app/static/geo/borders_land_50m.geojson", "id": "basemap-land-borders", "stroked": True,
     "filled": False, "get_line_color": [150, 150, 150], "line_width_min_pixels": 1},
    {"data": "app/static/geo/borders_disputed_10m.geojson", "id": "basemap-disputed", "stroked": True,
     "filled": False, "get_line_color": rgba(VERMILLION), "line_width_min_pixels": 1.5,
     "extensions": [{"@@type": "PathStyleExtension", "dash": True}], "get_dash_array": [4, 3],
     "dash_justified": True},
)
BASEMAP_LEGEND = (":gray[—] international land border (grey) · :red[- - -] disputed or claimed boundary "
                  "(vermillion, dashed; Natural Earth)")
MAX_POINTS = 5_000   # crossing points drawn at most (the largest); the legend says when more exist
MAX_RADIUS_M = 40_000
MIN_RADIUS_M = 2_500


@dataclass(frozen=True)
class MapData:
    crossings: pd.DataFrame          # lon, lat, radius, colour, tooltip (one row per crossing point)
    crossing_cells: dict             # FeatureCollection of coarsened crossing locations
    notices: dict                    # FeatureCollection of exercise areas (polygons, cells or points)
    projects: dict                   # FeatureCollection of projects (points, lines or cells)
    counts: dict                     # what is drawn, for the legend
    bounds: tuple[float, float, float, float] | None   # min lon, min lat, max lon, max lat
    measure_label: str


def _fmt(v) -> str:
    return "not published" if v is None or pd.isna(v) else f"{v:,.0f}"


def _number_or_marker(value, status) -> str:
    if isinstance(status, str) and status not in ("reported", "estimated"):
        return status_marker(status)
    return _fmt(value)


def _geometry(text) -> dict | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        geometry = json.loads(text)
    except json.JSONDecodeError:
        return None
    return geometry if isinstance(geometry, dict) and "type" in geometry and "coordinates" in geometry else None


def _point(lon, lat) -> dict | None:
    if lon is None or lat is None or pd.isna(lon) or pd.isna(lat):
        return None
    return {"type": "Point", "coordinates": [round(float(lon), 5), round(float(lat), 5)]}


def _feature(geometry: dict, tooltip: str, colour: list[int]) -> dict:
    # Flat properties only: Streamlit's tooltip reads {tooltip} from properties, as escaped text.
    return {"type": "Feature", "geometry": geometry, "properties": {"tooltip": tooltip, "colour": colour}}


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def _coords(geometry: dict):
    c = geometry.get("coordinates")
    stack = [c]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)) and len(item) >= 2 and all(isinstance(x, (int, float)) for x in item[:2]):
            yield item[0], item[1]
        elif isinstance(item, (list, tuple)):
            stack.extend(item)


def crossing_tooltip(row, label: str, period: str, known_km: dict | None = None) -> str:
    lines = [f"{row.location_name or row.location_id} ({row.location_id})",
             f"{label}: {_fmt(row.total)} ({period})"]
    if row.withheld:
        lines.append(f"{row.withheld:,} of {row.figures:,} monthly figures withheld")
    marker = location_marker(row.location_precision, known_km)
    if marker:
        lines.append(marker)
    return "\n".join(lines)


def map_view(release_path: str, filters: Filters, measure: str, show: tuple[str, ...]) -> MapData:
    params = filters.params()
    label = measure_label(measure)
    period = f"{filters.date_from:%b %Y} – {filters.date_to:%b %Y}"
    xs, ys = [], []
    known = precision_table(release_path)

    points = pd.DataFrame(columns=["lon", "lat", "radius", "colour", "tooltip"])
    cells: list[dict] = []
    n_crossings = unplaced = total_locations = 0
    if "crossings" in show:
        rows = run(release_path, "map_crossings", {**params, "measures": measures_for(measure),
                                                   "max_points": MAX_POINTS})
        n_crossings = len(rows)
        total_locations = int(rows["locations_total"].iloc[0]) if len(rows) else 0
        top = rows["total"].max() if len(rows) else None
        keep = []
        for row in rows.itertuples():
            tooltip = crossing_tooltip(row, label, period, known)
            cell = _geometry(row.location_cell_geojson)
            if cell is None and (pd.isna(row.lat) or pd.isna(row.lon)):
                unplaced += 1
                continue
            if cell is not None:
                cells.append(_feature(cell, tooltip, CROSSING_COLOUR))
                xs_ys = list(_coords(cell))
                xs += [x for x, _ in xs_ys]
                ys += [y for _, y in xs_ys]
                continue
            share = 0.0 if top is None or pd.isna(top) or top <= 0 or pd.isna(row.total) else row.total / top
            radius = MIN_RADIUS_M + (MAX_RADIUS_M - MIN_RADIUS_M) * math.sqrt(share)
            colour = CROSSING_WITHHELD_COLOUR if pd.isna(row.total) else CROSSING_COLOUR
            keep.append((row.lon, row.lat, round(radius), colour, tooltip))
            xs.append(row.lon)
            ys.append(row.lat)
        points = pd.DataFrame(keep, columns=["lon", "lat", "radius", "colour", "tooltip"])

    notice_features: list[dict] = []
    if "notices" in show:
        for row in run(release_path, "map_notices", params).itertuples():
            geometry = _geometry(row.geometry) or _point(row.lon, row.lat)
            if geometry is None:
                continue
            lead = "unknown" if pd.isna(row.lead_ok) else ("on time" if row.lead_ok else "late")
            dates = f"{row.start_date:%d %b %Y} – {row.end_date:%d %b %Y}" if pd.notna(row.end_date) \
                else f"from {row.start_date:%d %b %Y}"
            lines = [f"{row.designation or row.notice_id} ({row.notice_id})",
                     f"{row.notifying_iso3} · {dates}",
                     f"troops: {_number_or_marker(row.troops, row.troops_status)}",
                     f"notice: {lead}" + ("" if pd.isna(row.lead_days) else f" ({int(row.lead_days)} days)")]
            if isinstance(row.area_name, str) and row.area_name:
                lines.append(f"area: {row.area_name}")
            for note in (location_marker(row.location_precision, known), time_marker(row.time_precision)):
                if note:
                    lines.append(note)
            notice_features.append(_feature(geometry, "\n".join(lines), NOTICE_COLOURS[lead][0]))
            pts = list(_coords(geometry))
            xs += [x for x, _ in pts]
            ys += [y for _, y in pts]

    project_features: list[dict] = []
    if "projects" in show:
        for row in run(release_path, "map_projects", params).itertuples():
            geometry = _geometry(row.geometry) or _point(row.lon, row.lat)
            if geometry is None:
                continue
            status = row.status if isinstance(row.status, str) else "unknown"
            lines = [f"{row.name or row.project_id} ({row.project_id})",
                     f"{(row.kind or 'project').replace('_', ' ')} · {status.replace('_', ' ')} · {row.country_iso3}"]
            if pd.notna(row.distance_to_border_km):
                lines.append(f"{row.distance_to_border_km:,.1f} km from the border")
            note = location_marker(row.location_precision, known)
            if note:
                lines.append(note)
            colour = PROJECT_COLOURS.get(status, OTHER_PROJECT)[0]
            project_features.append(_feature(geometry, "\n".join(lines), colour))
            pts = list(_coords(geometry))
            xs += [x for x, _ in pts]
            ys += [y for _, y in pts]

    bounds = (min(xs), min(ys), max(xs), max(ys)) if xs and ys else None
    counts = {"crossings": n_crossings - unplaced, "unplaced": unplaced, "crossing_cells": len(cells),
              "not_drawn": max(total_locations - n_crossings, 0),
              "notices": len(notice_features),
              "projects": len(project_features)}
    return MapData(crossings=points, crossing_cells=_collection(cells), notices=_collection(notice_features),
                   projects=_collection(project_features), counts=counts, bounds=bounds, measure_label=label)


def view_for(bounds: tuple[float, float, float, float] | None, width_px: int = 900,
             height_px: int = 540) -> tuple[float, float, float]:
    """(longitude, latitude, zoom) that fits the bounds in a map of about width_px x height_px (Web Mercator)."""
    if bounds is None:
        return 15.0, 50.0, 2.5
    min_x, min_y, max_x, max_y = bounds

    def mercator_y(lat: float) -> float:
        lat = max(-85.0, min(85.0, lat))
        return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))

    span_x = max(max_x - min_x, 0.2)
    span_y = max(mercator_y(max_y) - mercator_y(min_y), 0.2)
    zoom_x = math.log2(width_px * 360.0 / (512.0 * span_x * 1.15))
    zoom_y = math.log2(height_px * 360.0 / (512.0 * span_y * 1.15))
    zoom = max(0.3, min(9.0, min(zoom_x, zoom_y)))
    centre_y = (mercator_y(max_y) + mercator_y(min_y)) / 2
    centre_lat = math.degrees(2 * math.atan(math.exp(math.radians(centre_y))) - math.pi / 2)
    return (min_x + max_x) / 2, centre_lat, zoom
