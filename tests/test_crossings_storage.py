"""The crossings cube stored narrow (issue 10, point 1; migration 013): places, series and facts as their own tables
joined by id, `crossings` the view every reader reads. A working database of the wide table moves over with every
row unchanged; each place and series is stored once; a newer source that supersedes a series leaves nothing
behind. Real CLI, real DuckDB files."""

from __future__ import annotations

from pathlib import Path


import pytest

from data_pipeline.db import open_work_db, sql
from support import SAMPLE, database_at_schema, ingest_json, query, run_cli, write

BTS_2019 = SAMPLE / "crossings" / "bts_border_crossing_entry_data_2019_insight_sample.csv"
FRONTEX = SAMPLE / "crossings" / "frontex_irregular_border_crossings_monthly_2009-01_2025-04.csv"
PLACE = ("location_id", "location_name", "region_code", "region_original", "place_kind", "country_iso3",
         "neighbor_iso3", "lat", "lon", "location_precision")
SERIES = PLACE + ("reporter_iso3", "reporter_org", "direction", "measure", "measure_original", "dimensions")


def _rows(db: Path) -> list[tuple]:
    return query(db, "select * from crossings order by all")


def _distinct(rows: list[tuple], names: list[str], wanted: tuple[str, ...]) -> int:
    """How many distinct combinations of the wanted columns the rows hold (dimensions as a sorted tuple)."""
    at = [names.index(name) for name in wanted]
    return len({tuple(tuple(sorted(r[i].items())) if isinstance(r[i], dict) else r[i] for i in at) for r in rows})


def _columns(db: Path) -> list[str]:
    return [r[0] for r in query(db, "select column_name from duckdb_columns() where table_name = 'crossings' "
                                    "order by column_index")]


def test_a_wide_database_moves_to_the_cube_row_for_row(tmp_path: Path):
    """A database at schema 12 holding the wide table (BTS ports with their nearest border, Frontex routes with a
    nationality breakdown) takes migration 013 on its next command: the view gives back exactly the rows the table
    held, column for column, and each place and series is stored once."""
    current = tmp_path / "current.duckdb"
    ingest_json(current, BTS_2019, FRONTEX)
    old = tmp_path / "old.duckdb"
    con = database_at_schema(old, 12)
    con.execute("attach ? as current (read_only)", [str(current)])
    con.execute("insert into crossings by name select * from current.crossings")
    for table in ("sources", "countries", "borders"):
        con.execute(f"insert into {table} by name select * from current.{table}")
    con.execute("detach current")
    con.close()
    before, names = _rows(old), _columns(old)
    assert query(old, "select count(*) from duckdb_tables() where table_name = 'crossings'") == [(1,)]
    assert sum(1 for r in before if r[names.index("border_id")] is not None) > 0
    assert sum(1 for r in before if r[names.index("dimensions")]) > 0

    run_cli("status", "--db", old)
    assert _columns(old) == names
    assert _rows(old) == before
    assert query(old, "select count(*) from duckdb_views() where view_name = 'crossings'") == [(1,)]
    assert query(old, "select count(*) from crossing_places") == [(_distinct(before, names, PLACE),)]
    assert query(old, "select count(*) from crossing_series") == [(_distinct(before, names, SERIES),)]
    assert query(old, "select count(*) from crossing_facts") == [(len(before),)]


def test_a_superseded_series_leaves_no_place_or_series_behind(tmp_path: Path):
    """A second version of the file renames one port (the same key, so its figure is replaced): the renamed place
    is stored beside the others, the old name's place and series go with their last figure, and a third ingest of
    the first name brings them back without doubling anything."""
    db = tmp_path / "work.duckdb"
    ingest_json(db, BTS_2019)
    renamed = write(tmp_path / "renamed.csv", BTS_2019.read_text(encoding="utf-8").replace("Derby Line,", "Derby,"))
    ingest_json(db, renamed)
    assert query(db, "select location_name from crossing_places where location_name like 'Derby%'") == [("Derby",)]
    assert query(db, "select count(*) from crossing_places") == [(7,)]
    assert query(db, "select count(*) from crossing_series") == [(7,)]
    assert query(db, "select count(*) from crossing_facts") == [(7,)]
    orphans = ("select (select count(*) from crossing_series s where not exists "
               "(select 1 from crossing_facts f where f.series_id = s.series_id)), "
               "(select count(*) from crossing_places p where not exists "
               "(select 1 from crossing_series s where s.place_id = p.place_id))")
    assert query(db, orphans) == [(0, 0)]
    # a third version with the old name (and a revised figure): the old place is back, nothing doubled
    ingest_json(db, write(tmp_path / "third.csv", BTS_2019.read_text(encoding="utf-8").replace(",6483,", ",6484,")))
    assert query(db, "select location_name from crossings where location_name like 'Derby%'") == [("Derby Line",)]
    assert query(db, "select count(*), count(distinct source_line) from crossings") == [(7, 7)]
    assert query(db, orphans) == [(0, 0)]
    # the nearest border is a property of the place, derived for the new one too
    assert query(db, "select count(*) from crossings where border_id is null") == [(0,)]


@pytest.mark.parametrize("hash_", ["real", "colliding"])
def test_each_figure_is_stored_under_its_own_series_even_if_hashes_collide(tmp_path: Path, hash_: str):
    """crossings_insert.sql finds a figure's series by a hash of the series' columns, and by every column where
    two incoming series share a hash. With the hash made constant (every series colliding) the store is the same
    as with the real one: each figure under its own series, NULLs and breakdowns told apart."""
    con = open_work_db(tmp_path / "work.duckdb")
    con.execute(sql("canonical/macros"))
    if hash_ == "colliding":
        con.execute("create or replace temp macro bl_crossing_series_hash(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, "
                    "p) as 0::ubigint")
    con.execute("create temp table _rows as select * from crossings limit 0")
    con.execute("create temp view _incoming as select * from _rows")
    series = [  # five series at one place and measure, told apart by reporter, direction and breakdown
        ("USA", None, "inbound", {}), (None, "Frontex", "inbound", {}), ("USA", None, "outbound", {}),
        ("USA", None, "inbound", {"nationality": "MEX"}), ("USA", None, "inbound", {"nationality": "CAN"})]
    rows = [(*one, month) for one in series for month in ("2024-01-01", "2024-02-01")]
    for number, (reporter, org, direction, dimensions, month) in enumerate(rows, start=1):
        con.execute("insert into _rows (location_id, country_iso3, reporter_iso3, reporter_org, direction, "
                    "period_start, period_granularity, measure, value, value_status, dimensions, place_kind, "
                    "source_id, source_line) values ('USA-0001', 'USA', ?, ?, ?, ?, 'month', 'trucks', ?, "
                    "'reported', ?, 'crossing_point', 'test', ?)",
                    [reporter, org, direction, month, 10.0 * number, dimensions, number])
    expected = con.execute("select * from _rows order by source_line").fetchall()
    con.execute(sql("canonical/crossings_insert"))
    assert con.execute("select * from crossings order by source_line").fetchall() == expected
    assert con.execute("select count(*) from crossing_series").fetchall() == [(5,)]
    assert con.execute("select count(*) from crossing_places").fetchall() == [(1,)]
    con.close()
