"""Prebuilt reference tables: countries and Natural Earth borders as Parquet beside their sources, so that a new
work database gets them by reading two small files instead of parsing 4 MB of GeoJSON with shapely (0.85 s of
every first ingest). A manifest holds the SHA-256 of each source file: when the sources change, or another
geometry folder is used, the tables are built from the GeoJSON as before (never from a stale copy).
`make reference` (or `python -m data_pipeline.geo.reference_tables`) rebuilds them; a test checks they equal a
fresh build."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import pandas as pd

PREBUILT = "prebuilt"
MANIFEST = "manifest.json"
FORMAT = 1


def _sources() -> dict[str, tuple[str, ...]]:
    from data_pipeline.geo import reference as geo

    return {"countries": (geo.COUNTRIES_110M,), "borders": (geo.LAND_10M, geo.DISPUTED_10M, geo.COUNTRIES_110M)}


def source_digests(geo_dir: Path) -> dict[str, str]:
    """SHA-256 of every source file the tables are built from (file name -> hex digest)."""
    names = sorted({name for names in _sources().values() for name in names})
    return {name: hashlib.sha256((geo_dir / name).read_bytes()).hexdigest() for name in names}


def build_frames(geo_dir: Path) -> dict[str, pd.DataFrame]:
    """The tables' rows, built from the GeoJSON sources (geo.country_rows / geo.border_rows)."""
    from data_pipeline.geo import reference as geo

    return {"countries": geo.country_rows(geo_dir / geo.COUNTRIES_110M),
            "borders": geo.border_rows(geo_dir / geo.LAND_10M, geo_dir / geo.DISPUTED_10M,
                                       geo_dir / geo.COUNTRIES_110M)}


def build(geo_dir: Path, out: Path | None = None) -> Path:
    """Write <geo_dir>/prebuilt/{countries,borders}.parquet and the manifest; returns the folder."""
    out = out or geo_dir / PREBUILT
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        for table, frame in build_frames(geo_dir).items():
            con.from_df(frame).write_parquet(str(out / f"{table}.parquet"))
    finally:
        con.close()
    manifest = {"format": FORMAT, "sources": source_digests(geo_dir)}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return out


def prebuilt_frames(con: duckdb.DuckDBPyConnection, geo_dir: Path) -> dict[str, duckdb.DuckDBPyRelation]:
    """The prebuilt rows of each table ({"countries": ..., "borders": ...}, as relations of con over the Parquet,
    never pandas: an ingest does not import it) when they were built from exactly the files now in geo_dir (the
    sources hashed once), else {}: the caller builds from the GeoJSON."""
    folder = geo_dir / PREBUILT
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT or manifest.get("sources") != source_digests(geo_dir):
            return {}
        return {table: con.read_parquet(str(folder / f"{table}.parquet")) for table in _sources()}
    except (OSError, ValueError, duckdb.Error):
        return {}


if __name__ == "__main__":
    from data_pipeline.paths import resource_root

    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else resource_root() / "sample_data" / "geo"))
