"""Two speed-ups of the ingest that must not change what is loaded (issue 11's speed): a gzip input is unpacked by a
child process while the profiles are checked (compressed.UnpackAhead), and a small CSV is staged in a compressed
in-memory database rather than a scratch file (staging.attach_scratch). Each is checked against the path it
replaces, on real files, and shown to be the one taken."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from support import SAMPLE, query, run_cli

from data_pipeline.db import open_work_db
from data_pipeline.ingest import staging
from data_pipeline.ingest.compressed import UnpackAhead, child_command
from data_pipeline.ingest.profiles import known_profiles, profile_folders, resolve_profile
from data_pipeline.publish.scratch import private_tempdir

BTS = SAMPLE / "crossings" / "bts_border_crossing_entry_data_2023-01_2025-02.csv"
LOADED = ("select location_id, period_start, measure, value, value_status, source_line from crossings "
          "order by source_line")
QUARANTINED = "select line_no, reasons, raw_record from quarantine order by line_no"


def test_the_child_unpacks_a_gzip_file_byte_for_byte(tmp_path: Path):
    packed = tmp_path / "bts.csv.gz"
    packed.write_bytes(gzip.compress(BTS.read_bytes()))
    with private_tempdir():
        ahead = UnpackAhead.started(packed)
        assert ahead is not None
        try:
            copy = tmp_path / "copy.csv"
            assert ahead.finished_into(packed, copy), ahead.process.returncode   # the child's copy, not a fallback
            assert copy.read_bytes() == BTS.read_bytes()
        finally:
            ahead.close()
    assert UnpackAhead.started(BTS) is None   # a plain file is read where it is


def test_a_gzip_file_named_twice_is_one_source(tmp_path: Path):
    """The child's copy serves the first naming; the second is unpacked again and found unchanged."""
    packed = tmp_path / "bts.csv.gz"
    packed.write_bytes(gzip.compress(BTS.read_bytes()))
    db = tmp_path / "w.duckdb"
    result = run_cli("ingest", packed, packed, "--db", db, "--json")
    assert [s["status"] for s in json.loads(result.stdout)["sources"]] == ["loaded", "unchanged"]
    assert query(db, "select count(*) from sources") == [(1,)]


def test_the_child_stops_when_the_ingest_is_gone(tmp_path: Path):
    """Its parent killed (here: a parent id that is not its parent's), the child writes nothing more and exits 1."""
    packed = tmp_path / "bts.csv.gz"
    packed.write_bytes(gzip.compress(BTS.read_bytes()))
    gone = os.getpid() + 10**6   # the parent id it is told is not its parent's: as if the ingest had been killed
    result = subprocess.run(child_command(packed, tmp_path / "copy.csv", gone), capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1, result.stderr
    assert (tmp_path / "copy.csv").stat().st_size == 0


def _with_bad_rows(tmp_path: Path) -> Path:
    """The BTS sample with rows for the quarantine after it: a figure that is no number, a conflicting repeat of the
    first row, a stray cell beyond the header, a withheld figure."""
    lines = BTS.read_text(encoding="utf-8").splitlines()
    first = lines[1].split(",")
    bad = [",".join(first[:6] + ["12O"] + first[7:]).replace("Jan 2024", "Feb 1999"),
           ",".join(first[:6] + ["1"] + first[7:]),
           lines[2] + ",stray",
           ",".join(first[:4] + ["Mar 1998", first[5], "(D)"] + first[7:])]
    path = tmp_path / "bts_with_bad_rows.csv"
    path.write_text("\n".join(lines + bad) + "\n", encoding="utf-8")
    return path


def test_a_gzip_file_loads_what_the_plain_file_loads(tmp_path: Path):
    plain = _with_bad_rows(tmp_path)
    packed = tmp_path / "bts.csv.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    run_cli("ingest", plain, "--db", tmp_path / "plain.duckdb")
    run_cli("ingest", packed, "--db", tmp_path / "packed.duckdb")
    for statement in (LOADED, QUARANTINED):
        assert query(tmp_path / "plain.duckdb", statement) == query(tmp_path / "packed.duckdb", statement)
    assert len(query(tmp_path / "packed.duckdb", LOADED)) > 1000
    assert len(query(tmp_path / "packed.duckdb", QUARANTINED)) >= 3


def _scratch_kind(tmp_path: Path, name: str) -> str:
    """Read BTS into a new database's scratch, and say where the scratch database was: memory, or a file."""
    profile = resolve_profile("bts-border-crossings", known_profiles(profile_folders([])))
    con = open_work_db(tmp_path / f"{name}.duckdb")
    try:
        staging.read_csv_raw(con, BTS, profile)
        [(path,)] = con.execute("select path from duckdb_databases() where database_name = ?",
                                [staging.SCRATCH]).fetchall()
        rows = con.execute("select count(*) from _raw").fetchall()[0][0]
        assert rows == len(BTS.read_text(encoding="utf-8").splitlines()) - 1
        staging.detach_scratch(con)
        return "memory" if path is None else "file"
    finally:
        con.close()


@pytest.mark.parametrize("threshold, kind", [(staging.STAGED_IN_MEMORY_BELOW, "memory"), (0, "file")])
def test_a_small_csv_is_staged_in_memory_a_large_one_in_a_file(threshold: int, kind: str, tmp_path: Path,
                                                              monkeypatch):
    monkeypatch.setattr(staging, "STAGED_IN_MEMORY_BELOW", threshold)
    assert _scratch_kind(tmp_path, kind) == kind


def test_staged_in_memory_or_in_a_file_the_same_rows_load(tmp_path: Path, monkeypatch):
    data = _with_bad_rows(tmp_path)
    run_cli("ingest", data, "--db", tmp_path / "memory.duckdb")
    monkeypatch.setattr(staging, "STAGED_IN_MEMORY_BELOW", 0)   # every file counts as large: a scratch file
    run_cli("ingest", data, "--db", tmp_path / "file.duckdb")
    for statement in (LOADED, QUARANTINED):
        assert query(tmp_path / "memory.duckdb", statement) == query(tmp_path / "file.duckdb", statement)
    with duckdb.connect(str(tmp_path / "file.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from crossings").fetchall()[0][0] > 1000
        assert con.execute("select count(*) from quarantine").fetchall()[0][0] >= 3


def test_files_of_both_sizes_in_one_ingest(tmp_path: Path, monkeypatch):
    """The scratch database changes kind between files within one ingest (memory, file, memory): what loads is what
    loads with every file staged in memory."""
    small = SAMPLE / "crossings" / "bts_border_crossing_entry_data_2019_insight_sample.csv"
    large = _with_bad_rows(tmp_path)
    other = SAMPLE / "crossings" / "eu_border_guard_crossings_demo.csv"
    run_cli("ingest", small, large, other, "--db", tmp_path / "memory.duckdb")
    monkeypatch.setattr(staging, "STAGED_IN_MEMORY_BELOW", 1 << 20)
    assert max(small.stat().st_size, other.stat().st_size) < staging.STAGED_IN_MEMORY_BELOW < large.stat().st_size
    run_cli("ingest", small, large, other, "--db", tmp_path / "mixed.duckdb")
    for statement in (LOADED, QUARANTINED, "select path, rows_read, rows_loaded, rows_quarantined from sources"):
        assert sorted(query(tmp_path / "memory.duckdb", statement), key=repr) == \
            sorted(query(tmp_path / "mixed.duckdb", statement), key=repr)
    assert len(query(tmp_path / "mixed.duckdb", "select * from sources")) == 3
