"""Geographic reference: the countries table (ISO 3166-1 from pycountry, plus Kosovo), Natural Earth borders and the
offline basemap's files. Distances to those borders are in nearest.py, each place's border in places.py.

DuckDB's spatial extension cannot be installed offline, so geometry runs here in geopandas (reference files read
with read_file) and shapely/pyproj on the few thousand distinct locations, and results go back to DuckDB as small
frames or lists joined by sql/geo/*.sql. pandas is imported only to build the tables from the GeoJSON: a new
database reads them from the prebuilt Parquet, and an ingest never pays for pandas (about 0.2 s).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pycountry

from data_pipeline.db import sql
from data_pipeline.geo.reference_tables import prebuilt_frames
from data_pipeline.paths import resource_root

if TYPE_CHECKING:
    import pandas as pd

# shapely, pyproj and numpy (geojson.py, nearest.py) are imported where the tables are built from the GeoJSON: a new
# database loads them from the prebuilt Parquet with DuckDB alone, without those imports.

SAMPLE_GEO_DIR = resource_root() / "sample_data" / "geo"
LAND_10M = "ne_10m_admin_0_boundary_lines_land.geojson"
DISPUTED_10M = "ne_10m_admin_0_boundary_lines_disputed_areas.geojson"
COUNTRIES_110M = "ne_110m_admin_0_countries.geojson"
LAND_50M = "ne_50m_admin_0_boundary_lines_land.geojson"
BORDER_SOURCE = "Natural Earth 10m admin 0 boundary lines, public domain"


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


# ---------------------------------------------------------------------------------------------- countries


def country_rows(countries_path=None) -> pd.DataFrame:
    """ISO 3166-1 countries from pycountry (common names where ISO's are long) plus Kosovo as XKX.

    min/max lon/lat: the country's extent in Natural Earth 110m (NULL for countries too small for it), which
    validation uses to tell swapped coordinates from wrong ones.
    """
    import pandas as pd

    from data_pipeline.geo.geojson import read_features

    countries_path = Path(countries_path or SAMPLE_GEO_DIR / COUNTRIES_110M)
    table = ne_iso3_table(countries_path)
    extents: dict[str, list[float]] = {}
    for props, geom in read_features(countries_path):
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


def load_countries(con: duckdb.DuckDBPyConnection, countries_path=None,
                   frame: pd.DataFrame | duckdb.DuckDBPyRelation | None = None) -> int:
    """Replace the countries table with country_rows() (or the prebuilt rows); returns the number of rows."""
    frame = country_rows(countries_path) if frame is None else frame
    _replace(con, [(sql("geo/countries_delete"), [])], "geo_countries_input", frame, sql("geo/countries_insert"))
    return frame.shape[0]


def ensure_reference(con: duckdb.DuckDBPyConnection, geo_dir=SAMPLE_GEO_DIR) -> dict[str, int]:
    """Load countries and Natural Earth borders into a work database that lacks them (cheap when present)."""
    geo_dir = Path(geo_dir)
    countries, with_extent, borders = con.execute(sql("geo/reference_state"), [BORDER_SOURCE]).fetchall()[0]
    loaded = {"countries": 0, "borders": 0}
    missing_countries, missing_borders = countries == 0 or with_extent == 0, borders == 0
    # prebuilt Parquet when built from these very files (reference_tables); read only when a table is missing
    prebuilt = prebuilt_frames(con, geo_dir) if missing_countries or missing_borders else {}
    if missing_countries:
        loaded["countries"] = load_countries(con, geo_dir / COUNTRIES_110M, prebuilt.get("countries"))
    if missing_borders:
        loaded["borders"] = load_borders(con, geo_dir / LAND_10M, geo_dir / DISPUTED_10M, geo_dir / COUNTRIES_110M,
                                         prebuilt.get("borders"))
    return loaded


def _replace(con, deletes: list[tuple[str, list]], view: str, frame: pd.DataFrame | duckdb.DuckDBPyRelation,
             insert: str) -> None:
    """Delete then insert from a registered frame (or relation) in one transaction, so a reload never half-happens."""
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
    from data_pipeline.geo.geojson import read_features_plain

    for props, _ in read_features_plain(countries_path):
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
    import pandas as pd

    from data_pipeline.geo.geojson import geojson_text, read_features
    from data_pipeline.geo.nearest import GEOD

    countries_path = Path(countries_path or _beside(land_path, COUNTRIES_110M))
    table = ne_iso3_table(countries_path)
    names = dict(zip(*[country_rows()[c] for c in ("iso3", "name")]))  # ISO names, not NE's dated ones
    records = []
    for kind, path in (("land", land_path), ("disputed", disputed_path)):
        for props, geom in read_features(path):
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
                 frame: pd.DataFrame | duckdb.DuckDBPyRelation | None = None) -> int:
    """Replace the Natural Earth borders in the borders table (from border_rows(), or the prebuilt rows);
    returns the number of lines loaded."""
    frame = border_rows(land_path, disputed_path, countries_path) if frame is None else frame
    deletes = [(sql("geo/borders_delete"), [BORDER_SOURCE])]
    _replace(con, deletes, "geo_borders_input", frame, sql("geo/borders_insert"))
    return frame.shape[0]


# ---------------------------------------------------------------------------------------------- basemap


def write_basemap(static_dir, source_dir=SAMPLE_GEO_DIR) -> dict[str, int]:
    """Write light offline basemap files (few properties, rounded coordinates); returns their sizes in bytes."""
    from data_pipeline.geo.geojson import plain_geometry, read_features, rounded_geometry

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
        for properties, geom in read_features(source_dir / in_name):
            geometry = rounded_geometry(plain_geometry(geom), ndigits) if geom is not None and not geom.is_empty else None
            if geometry is not None:
                props = props_of(properties)
                features.append({"type": "Feature", "properties": props, "geometry": geometry})
        collection = {"type": "FeatureCollection", "features": features}
        text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
        path = static_dir / out_name
        path.write_text(text + "\n", encoding="utf-8")
        sizes[out_name] = path.stat().st_size
    return sizes
