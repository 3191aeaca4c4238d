"""GeoJSON in and out: reference files read with geopandas, geometries parsed from publisher text, and compact
rounded RFC 7946 text for the browser and the working tables."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping, shape


def read_features(path: str | Path) -> list[tuple[dict, shapely.Geometry | None]]:
    """The features of a reference file (read with geopandas) as (properties, geometry), in file order; a
    missing property is None, as in the file. geopandas is imported here, not at the top: most commands never
    need it, and it costs about half a second to import."""
    import geopandas as gpd

    frame = gpd.read_file(path, engine="pyogrio")
    properties = frame.drop(columns=frame.geometry.name).astype(object)
    records = properties.where(properties.notna(), None).to_dict("records")
    return list(zip(records, frame.geometry.array))


def read_features_plain(path: str | Path) -> list[tuple[dict, shapely.Geometry | None]]:
    """As read_features, with the json module and shapely only: for the checks an ingest runs (geopandas and pandas
    cost about half a second to import). The properties as the file gives them."""
    with open(path, encoding="utf-8") as handle:
        document = json.load(handle)
    return [(dict(feature.get("properties") or {}), shape(feature["geometry"]) if feature.get("geometry") else None)
            for feature in document.get("features", [])]


def plain_geometry(geom) -> dict:
    """A shapely geometry as a GeoJSON geometry dict of plain lists."""
    return json.loads(json.dumps(mapping(geom)))


def round_positions(coords, ndigits: int, dedupe: bool = True):
    """Round nested GeoJSON coordinates, dropping repeated consecutive positions that rounding creates."""
    if coords and isinstance(coords[0], (int, float)):
        return [round(float(c), ndigits) for c in coords[:2]]
    items = [round_positions(c, ndigits, dedupe) for c in coords]
    if dedupe and items and isinstance(items[0], list) and items[0] and isinstance(items[0][0], float):
        deduped = [items[0]] + [p for prev, p in zip(items, items[1:]) if p != prev]
        return deduped
    return items


def rounded_geometry(geometry: dict, ndigits: int) -> dict | None:
    """An RFC 7946 geometry dict rounded to ndigits; rings or lines that collapse are dropped."""
    kind = geometry["type"]
    coords = round_positions(geometry["coordinates"], ndigits)
    if kind == "LineString":
        return {"type": kind, "coordinates": coords} if len(coords) >= 2 else None
    if kind == "MultiLineString":
        lines = [line for line in coords if len(line) >= 2]
        return {"type": kind, "coordinates": lines} if lines else None
    if kind == "Polygon":
        rings = [ring for ring in coords if len(ring) >= 4]
        return {"type": kind, "coordinates": rings} if rings and len(coords[0]) >= 4 else None
    if kind == "MultiPolygon":
        polys = [[r for r in poly if len(r) >= 4] for poly in coords if len(poly[0]) >= 4]
        return {"type": kind, "coordinates": polys} if polys else None
    return {"type": kind, "coordinates": coords}


def geojson_text(geom, ndigits: int = 5) -> str:
    """A shapely geometry as compact RFC 7946 text (lon/lat, no crs member, at most ndigits decimals)."""
    plain = plain_geometry(geom)
    rounded = rounded_geometry(plain, ndigits)
    if rounded is None:  # a line shorter than the rounding step: keep its rounded positions, repeats and all
        rounded = {"type": plain["type"], "coordinates": round_positions(plain["coordinates"], ndigits, dedupe=False)}
    return json.dumps(rounded, separators=(",", ":"))


def parse_geojson(text) -> shapely.Geometry | None:
    """A geometry from GeoJSON text (a geometry or a Feature); None when missing, unreadable or empty."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    try:
        obj = json.loads(text) if isinstance(text, str) else text
        if obj.get("type") == "Feature":
            obj = obj.get("geometry") or {}
        geom = shape(obj)
    except (ValueError, TypeError, AttributeError, KeyError, shapely.errors.GEOSException):
        return None
    if geom.is_empty:
        return None
    coords = shapely.get_coordinates(geom)
    if not np.isfinite(coords).all() or (np.abs(coords[:, 0]) > 180).any() or (np.abs(coords[:, 1]) > 90).any():
        return None
    return shapely.make_valid(geom) if not geom.is_valid else geom
