"""A previous release made before the crossings cube (schema < 7: its crossings have no place_kind, dimensions or
period_label, as before migration 007) is still the previous release of a new one: read by
sql/release/previous_cells_flat.sql (chosen by previous_has_dimensions.sql), its cells are crossing points without
a breakdown and are matched to the new release's. Every cell it suppressed stays suppressed, or is published with
exactly its value, even when its count has since grown past k. The old release is made by publishing and then
taking migration 007's columns out of a copy of its DuckDB file. Real CLI, real DuckDB files; BTS layout, labelled
synthetic figures."""

from __future__ import annotations

import csv
import itertools
import shutil
from pathlib import Path

import duckdb
import pytest

from support import query, run_cli, write

K = 10
PORTS = {"0101": ("Alpha Falls", 45.011111, -72.111111), "0102": ("Beta Bridge", 45.022222, -71.822222)}
MONTHS = ["Jan 2024", "Feb 2024", "Mar 2024", "Apr 2024"]
MEASURES = ["Trucks", "Buses", "Pedestrians"]
SMALL = {("0101", "Jan 2024", "Trucks"): 3, ("0102", "Mar 2024", "Buses"): 7, ("0101", "Apr 2024", "Pedestrians"): 4}
GROWN = 50   # what each small count has grown by in the later file: past k, so only the previous release hides it
POLICY = (f'[policy]\nname = "flat previous"\n\n[[rule]]\nid = "small"\ndataset = "crossings"\n'
          f'action = "suppress_below"\nfields = ["value"]\nk = {K}\naccept_unprotectable = true\n'
          f'reason = "small counts"\n')
CUBE_COLUMNS = ["place_kind", "dimensions", "period_label"]   # sql/schema/007_crossings_cube.sql
CELL = "location_id, strftime(period_start, '%Y-%m'), measure"


def _bts(path: Path, grown: int) -> Path:
    header = ["Port Name", "State", "Port Code", "Border", "Date", "Measure", "Value", "Latitude", "Longitude"]
    rows = []
    for n, (port, month, measure) in enumerate(itertools.product(PORTS, MONTHS, MEASURES), start=1):
        name, lat, lon = PORTS[port]
        small = SMALL.get((port, month, measure))
        value = 200 + 37 * n if small is None else small + grown
        rows.append([name, "Vermont", port, "US-Canada Border", month, measure, value, lat, lon])
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])
    return path


def _cells(release: Path) -> dict[tuple, tuple]:
    rows = query(release / "borderlens.duckdb", f"select {CELL}, value, value_status from crossings")
    return {tuple(r[:3]): tuple(r[3:]) for r in rows}


def _truth(work: Path) -> dict[tuple, float]:
    return {tuple(r[:3]): r[3] for r in query(work, f"select {CELL}, value from crossings")}


def _small_then(then: Path) -> set[tuple]:
    """The counts below k in the working database of the first release (its primary cells)."""
    return {cell for cell, value in _truth(then.with_name("then.duckdb")).items() if value < K}


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    folder = tmp_path_factory.mktemp("flat-previous")
    policy = write(folder / "policy.toml", POLICY)
    run_cli("ingest", _bts(folder / "bts_then.csv", 0), "--db", folder / "then.duckdb", "--no-progress")
    run_cli("publish", "--db", folder / "then.duckdb", "--policy", policy, "--out", folder / "then")
    old = folder / "old"
    shutil.copytree(folder / "then", old)
    con = duckdb.connect(str(old / "borderlens.duckdb"))
    try:
        for column in CUBE_COLUMNS:
            con.execute(f"alter table crossings drop column {column}")
        con.execute("checkpoint")
    finally:
        con.close()
    work = folder / "now.duckdb"
    run_cli("ingest", _bts(folder / "bts_now.csv", GROWN), "--db", work, "--no-progress")
    run_cli("publish", "--db", work, "--policy", policy, "--out", folder / "after_old", "--previous", old)
    run_cli("publish", "--db", work, "--policy", policy, "--out", folder / "alone")   # control: no previous
    return folder / "then", old, folder / "after_old", folder / "alone", work


def test_the_old_release_has_the_shape_from_before_the_cube(releases):
    _, old, *_ = releases
    columns = {r[0] for r in query(old / "borderlens.duckdb",
                                   "select column_name from duckdb_columns() where table_name = 'crossings'")}
    assert columns and not columns & set(CUBE_COLUMNS)
    assert {"location_id", "period_start", "measure", "value", "value_status"} <= columns


def test_cells_suppressed_before_stay_suppressed_or_are_published_exactly(releases):
    then, _, after, _, work = releases
    before = _cells(then)
    suppressed = {cell for cell, (_, status) in before.items() if status == "suppressed"}
    small = _small_then(then)
    assert len(small) == len(SMALL) and small < suppressed     # the small counts and complements
    truth = _truth(work)
    now = _cells(after)
    assert set(now) == set(before)
    for cell in suppressed:
        value, status = now[cell]
        assert status == "suppressed" and value is None or (status, value) == ("reported", truth[cell]), cell
    # the small counts have grown past k: only the old release keeps them hidden, and it does
    grown = {cell for cell in small if truth[cell] >= K}
    assert len(grown) == len(SMALL)
    assert all(now[cell] == (None, "suppressed") for cell in grown)
    carried = query(after / "borderlens.duckdb",
                    "select coalesce(sum(rows_affected), 0) from redactions where detail = 'carried'")
    assert carried[0][0] >= len(grown)


def test_without_the_old_release_the_grown_counts_would_be_published(releases):
    then, _, _, alone, work = releases
    truth = _truth(work)
    grown = _small_then(then)
    assert len(grown) == len(SMALL) and all(truth[cell] >= K for cell in grown)
    published = _cells(alone)
    assert all(published[cell] == (truth[cell], "reported") for cell in grown)
