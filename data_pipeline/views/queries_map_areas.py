"""Map page, exercise areas and infrastructure projects: drawn one by one when few, else counted per grid cell.

The level of detail is decided here, on the server: a layer with more than DETAIL_LIMIT features matching the
filters (or whose outlines would be too heavy to send) is counted per square grid cell in DuckDB, and the browser
gets the cells only. Cells are placed from published points and are never finer than the release's coarsest
coarsened location, so a cell cannot suggest a precision the release withholds. Tooltips are plain text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_pipeline.publish.cells import KM_PER_DEGREE
from data_pipeline.views.map_style import NOTICE_COLOURS, OTHER_PROJECT, PROJECT_COLOURS
from data_pipeline.views.date_words import coarsened_words, precise_date
from data_pipeline.views.queries import location_marker, run, value_text

DETAIL_LIMIT = 1_000        # features per layer drawn one by one at most; more are counted per grid cell
LAYER_BYTES = 500_000       # nor more than this many bytes of features (outlines and tooltips) per layer
MAX_CELLS = 1_000           # grid cells per layer at most: the finest step with at most this many cells is used
STEPS = (0.5, 1.0, 2.0, 5.0, 10.0)   # grid cell sizes in degrees, finest first, each a multiple of the first
SIMPLIFY_OVER = 2_000       # an outline longer than this (GeoJSON characters) is simplified ...
SIMPLIFY_DEGREES = 0.002    # ... to about 200 m, below a pixel at the zoom where one border fills the map
NARROW = "choose a border or a shorter period"   # how to get the detail, said in the legend and in each cell
HINT = {"notices": f"{NARROW[0].upper()}{NARROW[1:]} to see each area.",
        "projects": f"{NARROW[0].upper()}{NARROW[1:]} to see each project."}


@dataclass(frozen=True)
class Drawn:
    """One map layer as sent to the browser: its features one by one, or its counts per grid cell."""

    matched: int                   # features matching the filters that have a published location
    features: dict                 # FeatureCollection (tooltip, colour) when drawn one by one, else empty
    cells: pd.DataFrame            # when counted: one row per cell (polygon or lon/lat/radius, colour, tooltip)
    table: pd.DataFrame            # the data table: the features or the cells drawn, nothing more
    step: float | None             # the cell size in degrees when counted, else None
    reason: str                    # why the layer is counted per cell ('' when drawn one by one)
    bounds: tuple[float, float, float, float] | None

    @property
    def aggregated(self) -> bool:
        return self.step is not None


EMPTY = Drawn(0, {"type": "FeatureCollection", "features": []}, pd.DataFrame(), pd.DataFrame(), None, "", None)


# ---------------------------------------------------------------------------------------------- GeoJSON helpers


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


def simplified(texts: pd.Series) -> pd.Series:
    """Long outlines simplified (topology kept) and rounded to 5 decimals (about 1 m, finer than the map shows);
    short ones with finer coordinates only rounded (742 fence segments at 15 decimals took 0.4 MB); the others,
    and cells, as published."""
    lengths = texts.str.len().fillna(0)
    long = lengths > SIMPLIFY_OVER
    fine = ~long & texts.str.contains(r"\.\d{6,}", regex=True).fillna(False).astype(bool)
    if not (long.any() or fine.any()):
        return texts
    import shapely

    out = texts.copy()
    for rows, simplify in ((long, True), (fine, False)):
        if not rows.any():
            continue
        geoms = shapely.from_geojson(texts[rows].to_numpy(), on_invalid="ignore")
        if simplify:
            geoms = shapely.simplify(geoms, SIMPLIFY_DEGREES, preserve_topology=True)
        geoms = shapely.set_precision(geoms, 1e-5)
        out[rows] = [shapely.to_geojson(g) if g is not None and not shapely.is_empty(g) else None for g in geoms]
    return out


# ---------------------------------------------------------------------------------------------- grid cells


def steps_for(known_km: dict[str, float]) -> list[float]:
    """The grid steps no finer than twice the coarsest coarsened location in the release (so a cell is at least as
    wide as such a location's cell up to about 60° of latitude, where a degree of longitude halves)."""
    coarsest = max(known_km.values(), default=0.0)
    allowed = [s for s in STEPS if s * KM_PER_DEGREE >= 2 * coarsest]
    return allowed or [STEPS[-1]]


def _grid(params: dict, known_km: dict[str, float]) -> dict:
    """The filters plus the grid of map_*_cells.sql: base step (counted once), allowed steps, most cells."""
    return {**params, "base": STEPS[0], "steps": steps_for(known_km), "max_cells": MAX_CELLS}


def _count(n: pd.Series, one: str, many: str) -> pd.Series:
    return n.map("{:,}".format) + np.where(n == 1, f" {one}", f" {many}")


def _cell_name(cells: pd.DataFrame) -> pd.Series:
    return " in this " + cells["step"].map("{:g}".format) + "° cell"


def _cell_frame(cells: pd.DataFrame) -> pd.DataFrame:
    step = cells["step"]
    return pd.DataFrame({"west": cells["west"], "south": cells["south"], "east": (cells["west"] + step).round(5),
                         "north": (cells["south"] + step).round(5), "lon": (cells["west"] + step / 2).round(5),
                         "lat": (cells["south"] + step / 2).round(5)})


def _cell_bounds(cells: pd.DataFrame) -> tuple[float, float, float, float] | None:
    if cells.empty:
        return None
    return (float(cells["west"].min()), float(cells["south"].min()), float((cells["west"] + cells["step"]).max()),
            float((cells["south"] + cells["step"]).max()))


def _extent(cells: pd.DataFrame) -> tuple[float, float, float, float] | None:
    if cells.empty:
        return None
    first = cells.iloc[0]
    return float(first.min_x), float(first.min_y), float(first.max_x), float(first.max_y)


def notice_cells(cells: pd.DataFrame, reason: str) -> Drawn:
    """Exercise notices counted per cell: squares coloured by the commonest lead time, darker where more."""
    frame = _cell_frame(cells)
    n = cells["notices"]
    commonest = np.select([cells["late"] >= np.maximum(cells["on_time"], cells["unknown"]),
                           cells["on_time"] >= cells["unknown"]], ["late", "on time"], "unknown")
    alpha = (70 + 150 * np.sqrt(n / max(int(n.max()), 1))).round().astype(int)
    colour = [NOTICE_COLOURS[c][0][:3] + [a] for c, a in zip(commonest, alpha)]
    tooltip = (_count(n, "exercise notice", "exercise notices") + _cell_name(cells) + ", "
               + cells["first_date"].dt.strftime("%Y-%m") + " to " + cells["last_date"].dt.strftime("%Y-%m") + ": "
               + cells["on_time"].map("{:,}".format) + " notified on time, " + cells["late"].map("{:,}".format)
               + " late, " + cells["unknown"].map("{:,}".format) + " lead time unknown. " + HINT["notices"])
    corners = np.stack([frame.west, frame.south, frame.east, frame.south, frame.east, frame.north, frame.west,
                        frame.north], axis=1).reshape(-1, 4, 2)
    drawn = pd.DataFrame({"polygon": corners.tolist(), "colour": colour, "tooltip": tooltip})
    table = frame.assign(notices=n, notified_on_time=cells["on_time"], notified_late=cells["late"],
                         lead_time_unknown=cells["unknown"], first_month=cells["first_date"].dt.strftime("%Y-%m"),
                         last_month=cells["last_date"].dt.strftime("%Y-%m"))
    return Drawn(int(n.sum()), _collection([]), drawn, table, float(cells["step"].iloc[0]), reason,
                 _cell_bounds(cells))


def project_cells(cells: pd.DataFrame, reason: str) -> Drawn:
    """Projects counted per cell: a circle at the cell's centre, area by count, coloured by the commonest status."""
    frame = _cell_frame(cells)
    n = cells["projects"]
    statuses = [*PROJECT_COLOURS, "other"]
    counts = cells[statuses]
    commonest = counts.to_numpy().argmax(axis=1)
    colour = [(PROJECT_COLOURS[statuses[i]] if statuses[i] in PROJECT_COLOURS else OTHER_PROJECT)[0]
              for i in commonest]
    radius = ((0.12 + 0.33 * np.sqrt(n / max(int(n.max()), 1))) * cells["step"] * KM_PER_DEGREE * 1000).round()
    parts = pd.DataFrame({s: np.where(counts[s] > 0, counts[s].map("{:,}".format) + " "
                                      + ("unknown status" if s == "other" else s.replace("_", " ")), "")
                          for s in statuses})
    breakdown = parts.apply(lambda r: ", ".join(p for p in r if p), axis=1) if len(parts) else pd.Series(dtype=str)
    tooltip = (_count(n, "infrastructure project", "infrastructure projects") + _cell_name(cells) + ": "
               + breakdown + ". " + HINT["projects"])
    drawn = pd.DataFrame({"lon": frame.lon, "lat": frame.lat, "radius": radius.astype(int), "colour": colour,
                          "tooltip": tooltip})
    table = frame.assign(projects=n, **{s: counts[s] for s in statuses})
    return Drawn(int(n.sum()), _collection([]), drawn, table, float(cells["step"].iloc[0]), reason,
                 _cell_bounds(cells))


def _why(matched: int, noun: str, size: int | None = None) -> str:
    if size is not None:
        return (f"{matched:,} {noun} match, but their outlines would take {size / 1e6:.1f} MB to send "
                f"(more than {LAYER_BYTES / 1e6:.2g} MB)")
    return f"{matched:,} {noun} match, more than the {DETAIL_LIMIT:,} drawn one by one"


# ---------------------------------------------------------------------------------------------- the two layers


NOTICE_COLUMNS = ["notice_id", "designation", "notifying_iso3", "start_date", "end_date", "notice", "lead_days",
                  "location_note", "lon", "lat"]
PROJECT_COLUMNS = ["project_id", "name", "kind", "status", "country_iso3", "distance_to_border_km",
                   "location_note", "lon", "lat"]


def _layer(release_path: str, params: dict, known: dict[str, float], kind: str, noun: str, to_cells,
           describe, columns: list[str]) -> Drawn:
    """A layer of areas matching the filters: one by one when few and light enough, else counted per cell.
    describe(row, known) gives a row's tooltip lines, colour and table row; kind names the SQL (map_<kind>s,
    map_<kind>_cells)."""
    cells = run(release_path, f"map_{kind}_cells", _grid(params, known))
    matched = int(cells[f"{kind}s"].sum()) if len(cells) else 0
    if matched > DETAIL_LIMIT:
        return to_cells(cells, _why(matched, noun))
    rows = run(release_path, f"map_{kind}s", params)
    rows["geometry"] = simplified(rows["geometry"])
    features, table = [], []
    for row in rows.itertuples():   # at most DETAIL_LIMIT rows
        geometry = _geometry(row.geometry) or _point(row.lon, row.lat)
        if geometry is None:
            continue
        lines, colour, record = describe(row, known)
        features.append(_feature(geometry, "\n".join(lines), colour))
        table.append(record)
    size = len(json.dumps(features, separators=(",", ":")))
    if size > LAYER_BYTES:
        return to_cells(cells, _why(matched, noun, size))
    frame = pd.DataFrame(table, columns=columns)
    return Drawn(len(features), _collection(features), pd.DataFrame(), frame, None, "", _extent(cells))


def _describe_notice(row, known: dict[str, float]) -> tuple[list[str], list, tuple]:
    lead = "unknown" if pd.isna(row.lead_ok) else ("on time" if row.lead_ok else "late")
    start = precise_date(row.start_date, row.start_date_precision)   # 'Jan 1980' when the day is unknown
    dates = f"{start} – {precise_date(row.end_date, row.end_date_precision)}" if pd.notna(row.end_date) \
        else f"from {start}"
    lines = [f"{row.designation or row.notice_id} ({row.notice_id})",
             f"{row.notifying_iso3 or 'notifying state not published'} · {dates}",
             f"troops: {value_text(row.troops, row.troops_status)}",
             f"notice: {lead}" + ("" if pd.isna(row.lead_days) else f" ({int(row.lead_days)} days)")]
    if isinstance(row.area_name, str) and row.area_name:
        lines.append(f"area: {row.area_name}")
    notes = [n for n in (location_marker(row.location_precision, known), coarsened_words(row.time_coarsened_to)) if n]
    record = (row.notice_id, row.designation, row.notifying_iso3, row.start_date, row.end_date, lead,
              row.lead_days, "; ".join(notes), row.lon, row.lat)
    return lines + notes, NOTICE_COLOURS[lead][0], record


def _describe_project(row, known: dict[str, float]) -> tuple[list[str], list, tuple]:
    status = row.status if isinstance(row.status, str) else "unknown"
    lines = [f"{row.name or row.project_id} ({row.project_id})",
             f"{(row.kind or 'project').replace('_', ' ')} · {status.replace('_', ' ')} · {row.country_iso3}"]
    if pd.notna(row.distance_to_border_km):
        lines.append(f"{row.distance_to_border_km:,.1f} km from the border")
    note = location_marker(row.location_precision, known)
    if note:
        lines.append(note)
    record = (row.project_id, row.name, row.kind, status, row.country_iso3, row.distance_to_border_km, note,
              row.lon, row.lat)
    return lines, PROJECT_COLOURS.get(status, OTHER_PROJECT)[0], record


def notice_layer(release_path: str, params: dict, known: dict[str, float]) -> Drawn:
    """Exercise areas matching the filters: one by one when few and light enough, else counted per cell."""
    return _layer(release_path, params, known, "notice", "exercise notices", notice_cells, _describe_notice,
                  NOTICE_COLUMNS)


def project_layer(release_path: str, params: dict, known: dict[str, float]) -> Drawn:
    """Projects active in the period: one by one (points, lines, cells) when few, else counted per cell."""
    return _layer(release_path, params, known, "project", "projects", project_cells, _describe_project,
                  PROJECT_COLUMNS)
