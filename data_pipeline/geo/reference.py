"""Geography: Natural Earth borders, the countries table, and the distance of places to the nearest border.

DuckDB's spatial extension cannot be installed offline, so geometry runs here in geopandas (reference files read
with read_file) and shapely/pyproj on the few thousand distinct locations, and results go back to DuckDB as small
frames joined by sql/geo/*.sql.
Distances are geodesic (WGS84): lines are densified, candidates are found with spherical bounds (runs of
segments with a centre and a radius), and each is measured in an azimuthal equidistant frame centred on
the place (distance and azimuth from the centre are exact in that frame). A shape is projected to its frame with
geopandas (to_crs) and measured with sjoin_nearest; points are measured all at once in frames built from Geod.inv
in numpy (the same numbers to 1e-12 km), since a PROJ frame per point costs about 16 ms, 150 times as much.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pycountry
import pyproj
import shapely
from shapely.geometry import mapping, shape

from data_pipeline.db import sql
from data_pipeline.paths import resource_root
from data_pipeline.geo.reference_tables import prebuilt_frame

SAMPLE_GEO_DIR = resource_root() / "sample_data" / "geo"
LAND_10M = "ne_10m_admin_0_boundary_lines_land.geojson"
DISPUTED_10M = "ne_10m_admin_0_boundary_lines_disputed_areas.geojson"
COUNTRIES_110M = "ne_110m_admin_0_countries.geojson"
LAND_50M = "ne_50m_admin_0_boundary_lines_land.geojson"
BORDER_SOURCE = "Natural Earth 10m admin 0 boundary lines, public domain"

GEOD = pyproj.Geod(ellps="WGS84")
WGS84 = "EPSG:4326"
# Densify border lines to at most 0.02 degree (about 2 km) so that straight pieces stay straight when projected.
DENSIFY_DEG = 0.02
R_MEAN_KM = 6371.0088
SPHERE_SLACK = 1.01  # sphere vs ellipsoid distances differ by under 0.6%; coarse prefilters keep a 1% margin
# Andoyer-Lambert distances are within 0.03% of geodesic ones (1e-6 under 1,000 km): the fine prefilter keeps 0.1%
ELLIPSOID_SLACK = 1e-3
WGS84_A_KM, WGS84_F = 6378.137, 1 / 298.257223563
CHUNK = 128  # points per vectorised batch, to bound memory
RUN_SEGMENTS = 32  # segments per run and runs per group: far runs and groups are ruled out as a whole

KOSOVO = ("XKX", "XK", "Kosovo", "XKX is a user-assigned code (not ISO 3166-1), used by the EU and others for Kosovo")

# Natural Earth ADM0_A3 -> ISO 3166-1 alpha-3 where ne_110m_admin_0_countries.geojson gives no usable ISO_A3.
# Other codes come from that file's ADM0_A3/ISO_A3 pairs (SDS->SSD, SAH->ESH, PSX->PSE) or are already ISO.
NE_ISO_EXCEPTIONS: dict[str, str | None] = {
    "KOS": "XKX",  # Kosovo: no ISO code; the project uses the user-assigned XKX (see KOSOVO)
    "FRA": "FRA",  # NE 4.x sets ISO_A3 = -99 for France (its unit includes overseas departments)
    "NOR": "NOR",  # likewise for Norway (Svalbard, Jan Mayen)
    "SOL": None,  # Somaliland: no ISO code (ISO counts it in SOM); left NULL rather than guessed
    "CYN": None,  # Northern Cyprus: no ISO code (ISO counts it in CYP)
}


# ---------------------------------------------------------------------------------------------- GeoJSON helpers


def _features(path: str | Path) -> list[tuple[dict, shapely.Geometry | None]]:
    """The features of a reference file (read with geopandas) as (properties, geometry), in file order; a
    missing property is None, as in the file. geopandas is imported here, not at the top: most commands never
    need it, and it costs about half a second to import."""
    import geopandas as gpd

    frame = gpd.read_file(path, engine="pyogrio")
    properties = frame.drop(columns=frame.geometry.name).astype(object)
    records = properties.where(properties.notna(), None).to_dict("records")
    return list(zip(records, frame.geometry.array))


def _plain(geom) -> dict:
    """A shapely geometry as a GeoJSON geometry dict of plain lists."""
    return json.loads(json.dumps(mapping(geom)))


def _round_positions(coords, ndigits: int, dedupe: bool = True):
    """Round nested GeoJSON coordinates, dropping repeated consecutive positions that rounding creates."""
    if coords and isinstance(coords[0], (int, float)):
        return [round(float(c), ndigits) for c in coords[:2]]
    items = [_round_positions(c, ndigits, dedupe) for c in coords]
    if dedupe and items and isinstance(items[0], list) and items[0] and isinstance(items[0][0], float):
        deduped = [items[0]] + [p for prev, p in zip(items, items[1:]) if p != prev]
        return deduped
    return items


def _rounded_geometry(geometry: dict, ndigits: int) -> dict | None:
    """An RFC 7946 geometry dict rounded to ndigits; rings or lines that collapse are dropped."""
    kind = geometry["type"]
    coords = _round_positions(geometry["coordinates"], ndigits)
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
    plain = _plain(geom)
    rounded = _rounded_geometry(plain, ndigits)
    if rounded is None:  # a line shorter than the rounding step: keep its rounded positions, repeats and all
        rounded = {"type": plain["type"], "coordinates": _round_positions(plain["coordinates"], ndigits, dedupe=False)}
    return json.dumps(rounded, separators=(",", ":"))


def _parse_geojson(text) -> shapely.Geometry | None:
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


# ---------------------------------------------------------------------------------------------- countries


def country_rows(countries_path=None) -> pd.DataFrame:
    """ISO 3166-1 countries from pycountry (common names where ISO's are long) plus Kosovo as XKX.

    min/max lon/lat: the country's extent in Natural Earth 110m (NULL for countries too small for it), which
    validation uses to tell swapped coordinates from wrong ones.
    """
    countries_path = Path(countries_path or SAMPLE_GEO_DIR / COUNTRIES_110M)
    table = ne_iso3_table(countries_path)
    extents: dict[str, list[float]] = {}
    for props, geom in _features(countries_path):
        iso = ne_to_iso3(props["ADM0_A3"], table)
        if iso and geom is not None and not geom.is_empty:
            x0, y0, x1, y1 = geom.bounds
            old = extents.get(iso, [x0, y0, x1, y1])
            extents[iso] = [min(old[0], x0), min(old[1], y0), max(old[2], x1), max(old[3], y1)]
    rows = []
    for country in pycountry.countries:
        name = getattr(country, "common_name", None) or country.name
        note = f"ISO 3166-1 name: {country.name}" if name != country.name else None
        rows.append((country.alpha_3, country.alpha_2, name, note))
    rows.append(KOSOVO)
    frame = pd.DataFrame(rows, columns=["iso3", "iso2", "name", "note"]).sort_values("iso3", ignore_index=True)
    bounds = [extents.get(iso, [None] * 4) for iso in frame["iso3"]]
    box = pd.DataFrame(bounds, columns=["min_lon", "min_lat", "max_lon", "max_lat"], dtype=float).round(4)
    return pd.concat([frame, box], axis=1)


def load_countries(con: duckdb.DuckDBPyConnection, countries_path=None, frame: pd.DataFrame | None = None) -> int:
    """Replace the countries table with country_rows() (or the prebuilt frame); returns the number of rows."""
    frame = country_rows(countries_path) if frame is None else frame
    _replace(con, [(sql("geo/countries_delete"), [])], "geo_countries_input", frame, sql("geo/countries_insert"))
    return len(frame)


def ensure_reference(con: duckdb.DuckDBPyConnection, geo_dir=SAMPLE_GEO_DIR) -> dict[str, int]:
    """Load countries and Natural Earth borders into a work database that lacks them (cheap when present)."""
    geo_dir = Path(geo_dir)
    countries, with_extent, borders = con.execute(sql("geo/reference_state"), [BORDER_SOURCE]).fetchall()[0]
    loaded = {"countries": 0, "borders": 0}
    if countries == 0 or with_extent == 0:   # prebuilt Parquet when built from these very files (reference_tables)
        loaded["countries"] = load_countries(con, geo_dir / COUNTRIES_110M, prebuilt_frame(geo_dir, "countries"))
    if borders == 0:
        loaded["borders"] = load_borders(con, geo_dir / LAND_10M, geo_dir / DISPUTED_10M, geo_dir / COUNTRIES_110M,
                                         prebuilt_frame(geo_dir, "borders"))
    return loaded


def _replace(con, deletes: list[tuple[str, list]], view: str, frame: pd.DataFrame, insert: str) -> None:
    """Delete then insert from a registered frame in one transaction, so a reload never half-happens."""
    con.register(view, frame)
    try:
        con.execute("begin transaction")
        for statement, params in deletes:
            con.execute(statement, params)
        con.execute(insert)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        con.unregister(view)


# ---------------------------------------------------------------------------------------------- ISO codes


def _iso3_codes() -> set[str]:
    return {c.alpha_3 for c in pycountry.countries} | {KOSOVO[0]}


def ne_iso3_table(countries_path: str | Path) -> dict[str, str | None]:
    """Natural Earth ADM0_A3 -> ISO alpha-3 from the countries file's pairs plus NE_ISO_EXCEPTIONS."""
    valid = _iso3_codes()
    table: dict[str, str | None] = {}
    for props, _ in _features(countries_path):
        iso = props.get("ISO_A3")
        table[props["ADM0_A3"]] = iso if iso in valid else None
    table.update(NE_ISO_EXCEPTIONS)
    return table


def ne_to_iso3(code: str | None, table: dict[str, str | None]) -> str | None:
    """The ISO alpha-3 for a Natural Earth code; NE codes absent from the table count only if ISO knows them."""
    if not code:
        return None
    if code in table:
        return table[code]
    return code if code in _iso3_codes() else None


# ---------------------------------------------------------------------------------------------- borders


def border_rows(land_path, disputed_path, countries_path=None) -> pd.DataFrame:
    """Rows for the borders table: ISO pairs, readable stable ids, geodesic length, GeoJSON at 5 decimals."""
    countries_path = Path(countries_path or _beside(land_path, COUNTRIES_110M))
    table = ne_iso3_table(countries_path)
    names = dict(zip(*[country_rows()[c] for c in ("iso3", "name")]))  # ISO names, not NE's dated ones
    records = []
    for kind, path in (("land", land_path), ("disputed", disputed_path)):
        for props, geom in _features(path):
            if geom is None:  # a line without geometry is no border
                continue
            sides = []
            for side, name_key in (("l", "adm0_left"), ("r", "adm0_right")):
                ne_code = props.get(f"adm0_a3_{side}")
                iso = ne_to_iso3(ne_code, table)
                # The id needs a code on both sides: a non-ISO NE code is written in lower case (e.g. CYP-cnm).
                sides.append((iso or (ne_code or "unk").lower(), iso, names.get(iso) or props.get(name_key) or ne_code))
            sides.sort(key=lambda s: s[0])
            (key_a, iso_a, name_a), (key_b, iso_b, name_b) = sides
            base = name_a if name_a == name_b else f"{name_a} – {name_b}"
            records.append(
                {
                    "pair": f"{key_a}-{key_b}",
                    "order": (0 if kind == "land" else 1, *(round(v, 5) for v in geom.bounds)),
                    "iso3_a": iso_a,
                    "iso3_b": iso_b,
                    "name": f"{props['name']} ({base})" if props.get("name") else base,
                    "kind": kind,
                    "featurecla": props.get("featurecla"),
                    "length_km": round(GEOD.geometry_length(geom) / 1000.0, 3),
                    "geometry_geojson": geojson_text(geom, 5),
                    "source": BORDER_SOURCE,
                }
            )
    frame = pd.DataFrame(records)
    frame = frame.sort_values(["pair", "order", "length_km", "geometry_geojson"], kind="stable", ignore_index=True)
    number = frame.groupby("pair").cumcount() + 1
    frame.insert(0, "border_id", frame["pair"] + "-" + number.map("{:04d}".format))
    return frame.drop(columns=["pair", "order"])


def _beside(path, name: str) -> Path:
    """A sibling file of path, else the one in sample_data/geo."""
    candidate = Path(path).parent / name
    return candidate if candidate.exists() else SAMPLE_GEO_DIR / name


def load_borders(con: duckdb.DuckDBPyConnection, land_path, disputed_path, countries_path=None,
                 frame: pd.DataFrame | None = None) -> int:
    """Replace the Natural Earth borders in the borders table (from border_rows(), or the prebuilt frame);
    returns the number of lines loaded."""
    frame = border_rows(land_path, disputed_path, countries_path) if frame is None else frame
    deletes = [(sql("geo/borders_delete"), [BORDER_SOURCE])]
    _replace(con, deletes, "geo_borders_input", frame, sql("geo/borders_insert"))
    return len(frame)


# ---------------------------------------------------------------------------------------------- basemap


def write_basemap(static_dir, source_dir=SAMPLE_GEO_DIR) -> dict[str, int]:
    """Write light offline basemap files (few properties, rounded coordinates); returns their sizes in bytes."""
    static_dir, source_dir = Path(static_dir), Path(source_dir)
    static_dir.mkdir(parents=True, exist_ok=True)
    table = ne_iso3_table(source_dir / COUNTRIES_110M)

    def countries(props):  # ISO_A3 corrected (NE writes -99 for France, Norway, Kosovo) so maps can join on it
        return {"ISO_A3": ne_to_iso3(props["ADM0_A3"], table), "ADM0_A3": props["ADM0_A3"], "NAME": props["NAME"]}

    plans = [
        ("countries_110m.geojson", COUNTRIES_110M, countries, 3),
        ("borders_land_50m.geojson", LAND_50M, lambda p: {"featurecla": p.get("featurecla")}, 3),
        ("borders_disputed_10m.geojson", DISPUTED_10M, lambda p: {k: p.get(k) for k in ("featurecla", "name")}, 4),
    ]
    sizes = {}
    for out_name, in_name, props_of, ndigits in plans:
        features = []
        for properties, geom in _features(source_dir / in_name):
            geometry = _rounded_geometry(_plain(geom), ndigits) if geom is not None and not geom.is_empty else None
            if geometry is not None:
                props = props_of(properties)
                features.append({"type": "Feature", "properties": props, "geometry": geometry})
        collection = {"type": "FeatureCollection", "features": features}
        text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
        path = static_dir / out_name
        path.write_text(text + "\n", encoding="utf-8")
        sizes[out_name] = path.stat().st_size
    return sizes


# ---------------------------------------------------------------------------------------------- distances


def equidistant_crs(lon0: float, lat0: float) -> pyproj.CRS:
    """The azimuthal equidistant projection (km, WGS84) centred on lon0/lat0: distances and azimuths from the
    centre are geodesic (PROJ computes them as _aeqd_km does)."""
    return pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={float(lat0)!r} +lon_0={float(lon0)!r} +ellps=WGS84 +units=km +no_defs")


def _aeqd_km(lon0, lat0, lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Azimuthal equidistant x/y (km) of lon/lat seen from lon0/lat0: distance and azimuth are geodesic."""
    az, _, dist = GEOD.inv(lon0, lat0, lon, lat)
    az = np.radians(np.asarray(az, dtype=float))
    dist = np.asarray(dist, dtype=float) / 1000.0
    return dist * np.sin(az), dist * np.cos(az)


def _point_segment_km(plon, plat, ax, ay, bx, by) -> np.ndarray:
    """Geodesic distance (km) from points to short segments, as the distance to the origin in each point's frame."""
    x1, y1 = _aeqd_km(plon, plat, ax, ay)
    x2, y2 = _aeqd_km(plon, plat, bx, by)
    dx, dy = x2 - x1, y2 - y1
    length2 = dx * dx + dy * dy
    safe = np.where(length2 > 0, length2, 1.0)
    t = np.clip(np.where(length2 > 0, -(x1 * dx + y1 * dy) / safe, 0.0), 0.0, 1.0)
    return np.hypot(x1 + t * dx, y1 + t * dy)


def _haversine_km(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Great-circle distance on the mean sphere: a cheap prefilter, never a result."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * R_MEAN_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def _ellipsoid_km(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Andoyer-Lambert distance on WGS84: numpy-fast and close to geodesic, so a tight prefilter, never a result."""
    b1 = np.arctan((1 - WGS84_F) * np.tan(np.radians(np.asarray(lat1, dtype=float))))
    b2 = np.arctan((1 - WGS84_F) * np.tan(np.radians(np.asarray(lat2, dtype=float))))
    dlon = np.radians(np.asarray(lon2, dtype=float) - lon1)
    h = np.sin((b2 - b1) / 2) ** 2 + np.cos(b1) * np.cos(b2) * np.sin(dlon / 2) ** 2
    sigma = 2 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    p, q = (b1 + b2) / 2, (b2 - b1) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        x = (sigma - np.sin(sigma)) * np.sin(p) ** 2 * np.cos(q) ** 2 / np.cos(sigma / 2) ** 2
        y = (sigma + np.sin(sigma)) * np.cos(p) ** 2 * np.sin(q) ** 2 / np.sin(sigma / 2) ** 2
        d = WGS84_A_KM * (sigma - WGS84_F / 2 * (x + y))
    return np.where((sigma > 1e-9) & np.isfinite(d), d, WGS84_A_KM * sigma)


def _unit_vectors(lon, lat) -> np.ndarray:
    """Points on the unit sphere: angles between them come from one matrix product."""
    lon, lat = np.radians(np.asarray(lon, dtype=float)), np.radians(np.asarray(lat, dtype=float))
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


def _first_per_group(groups: np.ndarray, dist: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    """Positions of the smallest dist per group (ties: smallest tiebreak), for deterministic answers."""
    order = np.lexsort((tiebreak, dist, groups))
    sorted_groups = groups[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = sorted_groups[1:] != sorted_groups[:-1]
    return order[first]


def _runs(xyz: np.ndarray, reach_km: np.ndarray, starts: np.ndarray, counts: np.ndarray):
    """Centre (the middle member's point) and radius (km, covering every member's reach) of consecutive runs."""
    middle = starts + counts // 2
    run_of = np.repeat(np.arange(len(starts)), counts)
    cos = np.clip(np.einsum("ij,ij->i", xyz, xyz[middle][run_of]), -1.0, 1.0)
    reach = np.arccos(cos) * R_MEAN_KM + reach_km
    radius = np.maximum.reduceat(reach, starts) if len(starts) else np.empty(0)
    return xyz[middle], radius


@dataclass
class _Segments:
    """Densified border lines cut into two-point segments, grouped in a two-level tree of runs.

    Runs hold up to RUN_SEGMENTS consecutive segments of one line part, groups hold RUN_SEGMENTS runs; each
    has a centre and a radius, so most of the world is ruled out with spherical bounds before any geodesic work.
    """

    ax: np.ndarray
    ay: np.ndarray
    bx: np.ndarray
    by: np.ndarray
    border: np.ndarray
    length_km: np.ndarray  # on the sphere, for run radii
    seg_km: np.ndarray  # on the ellipsoid (Andoyer-Lambert), for segment bounds
    run_start: np.ndarray
    run_count: np.ndarray
    run_centre: np.ndarray  # unit vectors
    run_radius_km: np.ndarray
    group_start: np.ndarray
    group_count: np.ndarray
    group_centre: np.ndarray
    group_radius_km: np.ndarray
    _tree: shapely.STRtree | None = None

    @classmethod
    def build(cls, geoms: np.ndarray, border: np.ndarray) -> _Segments:
        parts, part_owner = shapely.get_parts(geoms, return_index=True)
        real = shapely.length(parts) > 0  # GEOS cannot segmentize a zero-length line (NE has one)
        parts, part_owner = shapely.segmentize(parts[real], DENSIFY_DEG), part_owner[real]
        coords, vertex_owner = shapely.get_coordinates(parts, return_index=True)
        same = vertex_owner[:-1] == vertex_owner[1:]
        a, b, seg_part = coords[:-1][same], coords[1:][same], vertex_owner[:-1][same]
        length = _haversine_km(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
        # runs: consecutive segments of one part; a segment's own reach from its first vertex is its length
        new_part = np.ones(len(a), dtype=bool)
        new_part[1:] = seg_part[1:] != seg_part[:-1]
        part_first = np.maximum.accumulate(np.where(new_part, np.arange(len(a)), 0))
        run_start = np.flatnonzero((np.arange(len(a)) - part_first) % RUN_SEGMENTS == 0)
        run_count = np.diff(np.append(run_start, len(a)))
        run_centre, run_radius = _runs(_unit_vectors(a[:, 0], a[:, 1]), length, run_start, run_count)
        group_start = np.arange(0, len(run_start), RUN_SEGMENTS)
        group_count = np.diff(np.append(group_start, len(run_start)))
        group_centre, group_radius = _runs(run_centre, run_radius, group_start, group_count)
        return cls(
            a[:, 0], a[:, 1], b[:, 0], b[:, 1], border[part_owner[seg_part]], length,
            _ellipsoid_km(a[:, 0], a[:, 1], b[:, 0], b[:, 1]),
            run_start, run_count, run_centre, run_radius, group_start, group_count, group_centre, group_radius,
        )

    @property
    def tree(self) -> shapely.STRtree:
        """An STRtree over the segments in lon/lat (built on first use)."""
        if self._tree is None:
            ends = np.stack([np.column_stack([self.ax, self.ay]), np.column_stack([self.bx, self.by])], axis=1)
            self._tree = shapely.STRtree(shapely.linestrings(ends) if len(ends) else np.empty(0, dtype=object))
        return self._tree

    def upper_bounds(self, plon, plat) -> np.ndarray:
        """Exact distance to the segment nearest in plain lon/lat: a tight upper bound of the true nearest."""
        q_point, q_seg = self.tree.query_nearest(shapely.points(plon, plat))
        _, first = np.unique(q_point, return_index=True)
        s0 = q_seg[first]
        return _point_segment_km(plon, plat, self.ax[s0], self.ay[s0], self.bx[s0], self.by[s0])

    def candidates(self, plon, plat, upper, reach=None) -> tuple[np.ndarray, np.ndarray]:
        """(point position, segment) pairs whose segment may lie within upper + reach km of the point.

        Level by level (groups, runs, segments) the bound is tightened with the vertices met on the way, and
        whatever cannot beat it is dropped: groups and runs by spherical bounds with a 1% margin, segments by
        Andoyer-Lambert bounds with a 0.1% margin.
        """
        reach = np.zeros(len(plon)) if reach is None else reach
        upper = upper.copy()

        def limit(rows):  # spherical km within which a candidate must come
            return (upper[rows] + reach[rows] + 0.01) * SPHERE_SLACK

        def tighten(rows, vertex_km):  # a vertex of a line is a true upper bound of the nearest distance
            np.minimum.at(upper, rows, vertex_km * SPHERE_SLACK + 0.01)

        def expand(rows, starts, counts):
            offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
            return np.repeat(rows, counts), np.repeat(starts, counts) + offsets

        xyz = _unit_vectors(plon, plat)
        group_km = np.arccos(np.clip(xyz @ self.group_centre.T, -1.0, 1.0)) * R_MEAN_KM
        upper = np.minimum(upper, group_km.min(axis=1, initial=np.inf) * SPHERE_SLACK + 0.01)
        pi, gi = np.nonzero(group_km - self.group_radius_km <= limit(slice(None))[:, None])
        pi, ri = expand(pi, self.group_start[gi], self.group_count[gi])
        run_cos = np.clip(np.einsum("ij,ij->i", xyz[pi], self.run_centre[ri]), -1.0, 1.0)
        run_km = np.arccos(run_cos) * R_MEAN_KM
        tighten(pi, run_km)
        keep = run_km - self.run_radius_km[ri] <= limit(pi)
        pi, si = expand(pi[keep], self.run_start[ri[keep]], self.run_count[ri[keep]])
        d_a = _ellipsoid_km(plon[pi], plat[pi], self.ax[si], self.ay[si])
        d_b = _ellipsoid_km(plon[pi], plat[pi], self.bx[si], self.by[si])
        np.minimum.at(upper, pi, np.minimum(d_a, d_b) * (1 + ELLIPSOID_SLACK) + 0.001)
        # triangle inequality: (dA + dB - L) / 2 bounds the distance to any point of a segment from below
        ends = (d_a + d_b) * (1 - ELLIPSOID_SLACK) - self.seg_km[si] * (1 + ELLIPSOID_SLACK)
        keep = ends / 2 - 0.001 <= upper[pi] + reach[pi]
        return pi[keep], si[keep]

    def nearest_points(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Border index and geodesic distance (km) of the nearest segment to each (valid) point."""
        n = len(lon)
        out_border, out_dist = np.full(n, -1), np.full(n, np.nan)
        if n == 0 or len(self.ax) == 0:
            return out_border, out_dist
        for start in range(0, n, CHUNK):
            plon, plat = lon[start : start + CHUNK], lat[start : start + CHUNK]
            pi, si = self.candidates(plon, plat, self.upper_bounds(plon, plat))
            dist = _point_segment_km(plon[pi], plat[pi], self.ax[si], self.ay[si], self.bx[si], self.by[si])
            best = _first_per_group(pi, dist, si)
            out_border[start + pi[best]] = self.border[si[best]]
            out_dist[start + pi[best]] = dist[best]
        return out_border, out_dist

    def nearest_geometry(self, geom) -> tuple[int, float]:
        """Border index and closest approach (km) of a line or polygon that touches no border.

        geopandas' sjoin_nearest between the shape and its candidate segments, both projected (to_crs) to an
        azimuthal equidistant frame centred on a point of the geometry: exact for distances from that point, off
        by about (d / R)^2 / 6 across (0.4% at 1,000 km).
        """
        import geopandas as gpd  # here, not at the top: see _features

        rep = shapely.point_on_surface(geom)
        rlon, rlat = np.array([rep.x]), np.array([rep.y])
        _, bound = self.nearest_points(rlon, rlat)
        dense = shapely.segmentize(geom, DENSIFY_DEG)
        gc = shapely.get_coordinates(dense)
        reach = np.array([_haversine_km(rlon[0], rlat[0], gc[:, 0], gc[:, 1]).max() * SPHERE_SLACK + 0.01])
        _, si = self.candidates(rlon, rlat, bound, reach)
        frame = equidistant_crs(rlon[0], rlat[0])
        starts, stops = np.column_stack([self.ax[si], self.ay[si]]), np.column_stack([self.bx[si], self.by[si]])
        ends = np.stack([starts, stops], axis=1)
        segments = gpd.GeoDataFrame({"segment": si}, geometry=shapely.linestrings(ends), crs=WGS84).to_crs(frame)
        shape_in_frame = gpd.GeoDataFrame(geometry=[dense], crs=WGS84).to_crs(frame)
        nearest = gpd.sjoin_nearest(shape_in_frame, segments, distance_col="distance_km")
        best = nearest.sort_values(["distance_km", "segment"], kind="stable").iloc[0]  # ties: the first segment
        return int(self.border[best["segment"]]), float(best["distance_km"])


@dataclass
class BorderIndex:
    """The land border lines of a database, ready for repeated nearest-border queries."""

    border_ids: np.ndarray
    pairs: np.ndarray
    geoms: np.ndarray
    everything: _Segments
    _by_pair: dict = field(default_factory=dict)

    @classmethod
    def from_db(cls, con: duckdb.DuckDBPyConnection) -> BorderIndex:
        """Read the land borders once; reuse the index for several calls (derive does)."""
        rows = con.execute(sql("geo/land_borders")).fetchall()
        ids = np.array([r[0] for r in rows], dtype=object)
        pairs = np.array([_pair_key(r[1], r[2]) for r in rows], dtype=object)
        geoms = np.array([shapely.from_geojson(r[3]) for r in rows], dtype=object)
        return cls(ids, pairs, geoms, _Segments.build(geoms, np.arange(len(rows))))

    def segments(self, pair: tuple[str, str] | None) -> _Segments:
        """All segments, or only those of the borders between one pair of countries."""
        if pair is None:
            return self.everything
        if pair not in self._by_pair:
            chosen = np.array([i for i, p in enumerate(self.pairs) if p == pair], dtype=int)
            self._by_pair[pair] = _Segments.build(self.geoms[chosen], chosen)
        return self._by_pair[pair]

    def pair_of_rows(self, frame: pd.DataFrame) -> list[tuple[str, str] | None]:
        """Per row, the (sorted) country pair to prefer, or None when absent or without any border."""
        if "pair_a" not in frame.columns or "pair_b" not in frame.columns:
            return [None] * len(frame)
        known = set(p for p in self.pairs if p is not None)
        keys = [_pair_key(a, b) for a, b in zip(frame["pair_a"], frame["pair_b"])]
        return [k if k in known else None for k in keys]


def _pair_key(a, b) -> tuple[str, str] | None:
    if not isinstance(a, str) or not isinstance(b, str) or not a or not b:
        return None
    first, second = sorted((a.upper(), b.upper()))
    return first, second


def _result(ids, index: BorderIndex, border: np.ndarray, dist: np.ndarray) -> pd.DataFrame:
    found = border >= 0
    border_id = np.full(len(border), None, dtype=object)
    border_id[found] = index.border_ids[border[found]]
    distance = np.where(found, dist, np.nan)
    return pd.DataFrame({"id": list(ids), "border_id": pd.Series(border_id, dtype=object), "distance_km": distance})


def nearest_border(
    con: duckdb.DuckDBPyConnection, points: pd.DataFrame, index: BorderIndex | None = None
) -> pd.DataFrame:
    """Nearest land border and geodesic distance (km) per point (columns id, lon, lat, optional pair_a/pair_b).

    A row with pair_a/pair_b measures only to borders between exactly those two countries when any exist.
    Rows without valid coordinates get border_id None and distance NaN.
    """
    index = BorderIndex.from_db(con) if index is None else index
    lon = pd.to_numeric(points["lon"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    lat = pd.to_numeric(points["lat"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    valid = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lon) <= 180) & (np.abs(lat) <= 90)
    border, dist = np.full(len(points), -1), np.full(len(points), np.nan)
    pairs = index.pair_of_rows(points)
    groups: dict = {}
    for row, pair in enumerate(pairs):
        if valid[row]:
            groups.setdefault(pair, []).append(row)
    for pair, rows in groups.items():
        rows = np.array(rows)
        border[rows], dist[rows] = index.segments(pair).nearest_points(lon[rows], lat[rows])
    return _result(points["id"], index, border, dist)


def nearest_border_for_geometries(
    con: duckdb.DuckDBPyConnection, geometries: pd.DataFrame, index: BorderIndex | None = None
) -> pd.DataFrame:
    """Nearest land border and closest approach (km) per GeoJSON geometry (columns id, geojson, optional pairs).

    A Point is measured like nearest_border; a LineString or Polygon that touches a border gets 0 and the
    border it touches most (by densified segments). Missing or unreadable GeoJSON gives None/NaN.
    Others are measured in an azimuthal equidistant frame centred on the shape: within about 1,000 km of it
    the error stays under 0.5%.
    """
    index = BorderIndex.from_db(con) if index is None else index
    geoms = [_parse_geojson(text) for text in geometries["geojson"]]
    border, dist = np.full(len(geoms), -1), np.full(len(geoms), np.nan)
    groups: dict = {}
    for row, pair in enumerate(index.pair_of_rows(geometries)):
        if geoms[row] is not None:
            groups.setdefault(pair, []).append(row)
    for pair, rows in groups.items():
        segs = index.segments(pair)
        if len(segs.ax) == 0:
            continue
        rows = np.array(rows)
        shapes = np.array([geoms[r] for r in rows], dtype=object)
        points = shapely.get_type_id(shapes) == shapely.GeometryType.POINT
        if points.any():
            xs, ys = shapely.get_x(shapes[points]), shapely.get_y(shapes[points])
            border[rows[points]], dist[rows[points]] = segs.nearest_points(xs, ys)
        hit_geom, hit_seg = segs.tree.query(shapes, predicate="intersects")
        hit_geom, hit_seg = hit_geom[~points[hit_geom]], hit_seg[~points[hit_geom]]
        if len(hit_geom):
            hits = pd.DataFrame({"g": hit_geom, "b": segs.border[hit_seg]}).value_counts().reset_index(name="n")
            hits = hits.sort_values(["g", "n", "b"], ascending=[True, False, True]).drop_duplicates("g")
            touching = rows[hits["g"].to_numpy()]
            border[touching], dist[touching] = hits["b"].to_numpy(), 0.0
        touched = set(hit_geom.tolist())
        for position in np.flatnonzero(~points):
            if position not in touched:
                border[rows[position]], dist[rows[position]] = segs.nearest_geometry(shapes[position])
    return _result(geometries["id"], index, border, dist)


# ---------------------------------------------------------------------------------------------- derive


def _measure(con, index: BorderIndex, places: pd.DataFrame, geojson_column: str | None) -> pd.DataFrame:
    """Nearest border for each distinct place: its GeoJSON when readable, else its lon/lat point."""
    places = places.reset_index(drop=True)
    places["id"] = places.index
    use_shape = np.zeros(len(places), dtype=bool)
    if geojson_column is not None:
        use_shape = np.array([_parse_geojson(t) is not None for t in places[geojson_column]], dtype=bool)
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
    of rows updated per table.
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
