"""Prebuilt reference tables (countries, Natural Earth borders as Parquet): never stale, used only for the very
files they were built from, and a new work database gets the same tables with or without them."""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd

from data_pipeline.geo import reference as geo
from data_pipeline.geo import reference_tables as R
from data_pipeline.db import open_work_db

TABLES = {"countries": "select * from countries order by iso3",
          "borders": "select * from borders order by border_id"}


def _tables(con) -> dict[str, pd.DataFrame]:
    return {name: con.execute(query).df() for name, query in TABLES.items()}


def test_the_prebuilt_tables_equal_a_fresh_build_of_the_shipped_sources():
    """Fails when sample_data/geo changes without `make reference` (the manifest would also refuse them)."""
    fresh = R.build_frames(geo.SAMPLE_GEO_DIR)
    shipped = R.prebuilt_frames(duckdb.connect(), geo.SAMPLE_GEO_DIR)
    for table, frame in fresh.items():
        prebuilt = shipped.get(table)
        assert prebuilt is not None, f"{table}: no usable prebuilt table (run make reference)"
        pd.testing.assert_frame_equal(prebuilt.df().reset_index(drop=True), frame.reset_index(drop=True),
                                      check_dtype=False)


def test_a_new_database_gets_the_same_tables_with_or_without_the_prebuilt_files(tmp_path):
    plain = tmp_path / "geo"
    shutil.copytree(geo.SAMPLE_GEO_DIR, plain, ignore=shutil.ignore_patterns(R.PREBUILT))
    assert R.prebuilt_frames(duckdb.connect(), plain).get("countries") is None
    with_prebuilt, without = open_work_db(tmp_path / "a.duckdb"), open_work_db(tmp_path / "b.duckdb")
    try:
        assert geo.ensure_reference(with_prebuilt) == geo.ensure_reference(without, plain)
        one, other = _tables(with_prebuilt), _tables(without)
        for name in TABLES:
            pd.testing.assert_frame_equal(one[name], other[name])
    finally:
        with_prebuilt.close()
        without.close()


def test_prebuilt_tables_of_other_sources_are_not_used(tmp_path):
    changed = tmp_path / "geo"
    shutil.copytree(geo.SAMPLE_GEO_DIR, changed)
    path = changed / geo.COUNTRIES_110M
    path.write_bytes(path.read_bytes() + b"\n")   # same geometry, other bytes: the manifest no longer matches
    frames = R.prebuilt_frames(duckdb.connect(), changed)
    assert frames.get("countries") is None and frames.get("borders") is None
