"""Ingest designs measured pass by pass: where a validating ingest's time must go, against the baseline.

    .venv/bin/python bench/ingest_designs.py --rows 10000000 [--keep DIR]

The ingest benchmark (bench/ingest.py) times the whole `borderlens ingest`. This script times the passes of
the present design and of two others, on the same generated BTS-layout CSV, in one process, each in a fresh
database file, so that the question "could another design reach ingest/baseline <= 2.0?" has figures:

  baseline        CREATE TABLE t AS SELECT * FROM read_csv(FILE)            (what the ratio divides by)
  parse only      SELECT count(*) over read_csv(FILE, all_varchar)          (no storing)
  text copy       the ingest's read step: the file as text in a compressed scratch table (staging.read_csv_raw)
  direct          no text copy: the production staging and validation views over read_csv itself, with
                  row_number() OVER () for the line numbers; the failed-rows pass, then the insert of the
                  loadable rows into a 13-column table
  narrow          after the text copy, the canonical model split in two: a table of series (place, reporter,
                  direction, measure: one row per distinct combination) and a 5-column table of facts
                  (series id, period, value, status, line); failed-rows pass, series pass, facts insert and
                  the duplicate-key pass on the facts

Start-up, the reference tables and geo.derive (about 3.5 s at 10M, see docs/performance.md) come on top of
any design. The script prints seconds per pass and each design's total against 2 x baseline.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from ingest import bench_csv  # noqa: E402  (bench/ingest.py)

from data_pipeline.geo import reference  # noqa: E402
from data_pipeline.ingest import staging  # noqa: E402
from data_pipeline.db import migrate, sql  # noqa: E402
from data_pipeline.ingest.ingest import _values  # noqa: E402
from data_pipeline.ingest.profiles import resolve_profile  # noqa: E402

PROFILE = "bts-border-crossings"
SERIES_FIELDS = ("location_id, location_name, region_code, region_original, country_iso3, neighbor_iso3, "
                 "reporter_iso3, reporter_org, direction, period_granularity, measure, measure_original, "
                 "lat_number, lon_number, location_precision")
VALUE = ("case when not list_contains(getvariable('bl_withheld'), lower(value)) and value is not null "
         "and not list_contains(getvariable('bl_missing'), lower(value)) then value_parsed end")
STATUS = ("case when list_contains(getvariable('bl_withheld'), lower(value)) then 'withheld_by_publisher' "
          "when value is null or list_contains(getvariable('bl_missing'), lower(value)) then 'missing' "
          "else 'reported' end")


def _connect(folder: Path, name: str) -> duckdb.DuckDBPyConnection:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.duckdb"
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    con.execute("set enable_progress_bar = false")
    return con


def _timed(results: list, design: str, step: str, action) -> None:
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    results.append((design, step, seconds))
    print(f"  {design:<12} {step:<44} {seconds:7.2f} s", flush=True)


def _validation_views(con: duckdb.DuckDBPyConnection, profile) -> None:
    """The production validation views (_converted, _checked of crossings_typed.sql) over _stg, not its passes."""
    con.execute(sql("canonical/macros"))
    for key, value in _values(profile, {}).items():
        con.execute(f"set variable bl_{key} = $value", {"value": value})
    typed = sql("canonical/crossings_typed")
    con.execute(typed.split("create or replace temp table _repeated")[0])


def _direct_raw(con: duckdb.DuckDBPyConnection, csv_path: Path, profile) -> None:
    """_raw as a view over read_csv itself, its rows numbered by row_number() over (), and _stg over it as
    staging.stage defines it (built on an empty stand-in first: stage() counts its rows)."""
    literal = "'" + str(csv_path).replace("'", "''") + "'"
    reader = f"read_csv({literal}, all_varchar = true, header = true)"
    con.execute(f"create temp table _raw as select * from {reader} limit 0")
    header = staging.sniff_header(csv_path)[0]
    staging.stage(con, csv_path, profile, staging.RawFile(header=header, rows=0))
    view = con.execute("select sql from duckdb_views() where view_name = '_stg'").fetchall()[0][0]
    con.execute("drop view _stg")
    con.execute("drop table _raw")
    con.execute(f"create temp view _raw as select row_number() over () - 1 as _row, * from {reader}")
    con.execute(view.replace("r.rowid", "r._row"))


def _check_counts(con: duckdb.DuckDBPyConnection, design: str, table: str) -> None:
    """Each design did the whole work: every row loaded or failed, none twice."""
    loaded, failed, lines = con.execute(
        f"select (select count(*) from {table}), (select count(*) from _failed), "
        f"(select count(distinct source_line) from {table})").fetchall()[0]
    print(f"  {design:<12} {loaded:,} rows loaded on {lines:,} distinct lines, {failed:,} failed", flush=True)


def run(csv_path: Path, folder: Path) -> list:
    results: list = []
    path = str(csv_path)
    con = _connect(folder, "baseline")
    _timed(results, "baseline", "create table as read_csv", lambda: con.execute(
        "create table t as select * from read_csv(?)", [path]))
    _timed(results, "parse only", "count(*) over read_csv, all text", lambda: con.execute(
        "select count(*) from read_csv(?, all_varchar = true)", [path]).fetchall())
    con.close()

    # The present design's first step, and the narrow design after it.
    con = _connect(folder, "narrow")
    migrate(con)
    reference.ensure_reference(con)
    profile = resolve_profile(PROFILE)
    read: list = []
    _timed(results, "text copy", "read_csv into the compressed scratch table", lambda: read.append(
        staging.read_csv_raw(con, csv_path, profile)))
    staging.stage(con, csv_path, profile, read[0])  # untimed: the view, and a count of its rows
    _validation_views(con, profile)
    con.execute(f"create temp view _series_rows as select *, hash({SERIES_FIELDS}) as series_id from _converted")
    con.execute(f"create table series as select series_id, {SERIES_FIELDS}, null::varchar as border_id, "
                "null::double as distance_to_border_km from _series_rows limit 0")
    con.execute("create table facts (series_id ubigint, period_start date, value double, value_status varchar, "
                "source_line bigint)")
    _timed(results, "narrow", "failed-rows pass", lambda: con.execute(
        "create temp table _failed as select _rid, _line, reasons from _checked where len(reasons) > 0"))
    _timed(results, "narrow", "series pass (one row per series)", lambda: con.execute(
        f"insert into series select distinct on (series_id) series_id, {SERIES_FIELDS}, null, null "
        "from _series_rows where _rid not in (select _rid from _failed)"))
    _timed(results, "narrow", "facts insert (5 columns)", lambda: con.execute(
        f"insert into facts select series_id, period_start, {VALUE}, {STATUS}, _line "
        "from _series_rows where _rid not in (select _rid from _failed)"))
    _timed(results, "narrow", "duplicate-key pass over the facts", lambda: con.execute(
        "with keys as (select series_id, hash(reporter_iso3, reporter_org, location_id, direction, "
        "period_granularity, measure) as k from series) select count(*) from (select hash(keys.k, f.period_start) "
        "as h from facts f join keys using (series_id) group by h having count(*) > 1)").fetchall())
    _check_counts(con, "narrow", "facts")
    staging.detach_scratch(con)
    con.close()

    # The direct design: no text copy; the same views over read_csv, numbered by row_number() over ().
    con = _connect(folder, "direct")
    migrate(con)
    reference.ensure_reference(con)
    _direct_raw(con, csv_path, profile)
    _validation_views(con, profile)
    con.execute("create table narrow_crossings (location_id varchar, reporter_iso3 varchar, reporter_org varchar, "
                "direction varchar, period_start date, period_granularity varchar, measure varchar, "
                "measure_original varchar, value double, value_status varchar, place_id ubigint, "
                "source_id varchar, source_line bigint)")
    _timed(results, "direct", "failed-rows pass", lambda: con.execute(
        "create temp table _failed as select _rid, _line, reasons from _checked where len(reasons) > 0"))
    _timed(results, "direct", "insert of the loadable rows (13 columns)", lambda: con.execute(
        "insert into narrow_crossings select location_id, reporter_iso3, reporter_org, direction, period_start, "
        f"period_granularity, measure, measure_original, {VALUE}, {STATUS}, hash({SERIES_FIELDS}), 'source', "
        "_line from _converted where _rid not in (select _rid from _failed)"))
    _check_counts(con, "direct", "narrow_crossings")
    con.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True, help="rows in the generated CSV")
    parser.add_argument("--keep", metavar="DIR", help="the folder of bench/ingest.py --keep (its CSV is reused)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="borderlens-designs-") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        csv_path, _ = bench_csv(args.rows, folder, 0.001, 0.0001)
        print(f"designs: N={args.rows:,}, {csv_path.stat().st_size / 1e6:,.1f} MB, {os.cpu_count()} cpus, "
              f"duckdb {duckdb.__version__}")
        results = run(csv_path, folder / "designs")
    baseline = next(s for d, _, s in results if d == "baseline")
    print(f"\nbaseline {baseline:.2f} s; a 2.0x ingest has {2 * baseline:.2f} s for everything, "
          "start-up, reference tables and geo included (about 3.5 s at 10M)")
    text_copy = next(s for d, _, s in results if d == "text copy")
    for design, extra in (("narrow", text_copy), ("direct", 0.0)):
        total = extra + sum(s for d, _, s in results if d == design)
        print(f"{design:<8} passes {total:6.2f} s = {total / baseline:.2f}x baseline before start-up, reference "
              "tables and geo")
    return 0


if __name__ == "__main__":
    sys.exit(main())
