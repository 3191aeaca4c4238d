"""Extracts written through copy_sink: COPY into a pipe, a thread writing the file past the page cache and hashing it.
The same bytes as COPY writing the file itself; the digest of the bytes on disk; errors on either side raised, never
a hang; nothing left behind."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import duckdb
import pytest

from data_pipeline.export import copy_sink, exports


def _con(rows: int) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"create table t as select i, 'place ' || i as name, -70.0 + i / 1000 as lon, 40.0 as lat "
                f"from range({rows}) r(i) order by i")
    return con


def _leftovers() -> list[str]:
    """This process's pipe folders (other test processes make their own at the same time)."""
    return [n for n in os.listdir(tempfile.gettempdir()) if n.startswith(f"borderlens-copy-{os.getpid()}-")]


@pytest.mark.parametrize("rows", [0, 3, 500_000], ids=["empty", "small", "past-a-block"])
def test_the_file_is_what_copy_writes_and_its_digest_is_of_its_bytes(tmp_path: Path, rows: int, monkeypatch):
    con = _con(rows)
    before = set(_leftovers())
    plain, piped = tmp_path / "plain.csv", tmp_path / "piped.csv"
    with monkeypatch.context() as without_pipes:   # COPY writing the file itself, as where there are no pipes
        without_pipes.delattr(os, "mkfifo")
        exports.write_csv(con, "select * from t", [], plain)
    digests: dict = {}
    assert exports.write_csv(con, "select * from t", [], piped, digests=digests) == rows
    data = piped.read_bytes()
    assert data == plain.read_bytes()
    assert (rows < 500_000) or len(data) > 2 * copy_sink.BLOCK   # the large case crosses whole blocks
    assert digests == {piped: {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}}
    assert set(_leftovers()) == before and sorted(p.name for p in tmp_path.iterdir()) == ["piped.csv", "plain.csv"]


def test_the_opening_and_end_of_a_geojson_surround_the_features(tmp_path: Path):
    con = _con(150_000)
    out, digests = tmp_path / "t.geojson", {}
    members = {"citation": "borderlens release x", "licence": "CC BY 4.0"}
    assert exports.write_features(con, "select * from t", [], out, members, digests) == 150_000
    data = out.read_bytes()
    assert data.startswith(b'{"type":"FeatureCollection","citation":"borderlens release x","licence":"CC BY 4.0",'
                           b'"features":[') and data.endswith(b"}}\n]\n}\n")
    document = json.loads(data)
    assert list(document) == ["type", "citation", "licence", "features"] and len(document["features"]) == 150_000
    assert digests[out]["sha256"] == hashlib.sha256(data).hexdigest()


def test_an_excel_csv_gets_its_byte_order_mark_and_the_same_rows(tmp_path: Path):
    con = _con(10)
    plain, excel = tmp_path / "plain.csv", tmp_path / "excel.csv"
    exports.write_csv(con, "select * from t", [], plain)
    exports.write_csv(con, "select * from t", [], excel, excel=True)
    assert excel.read_bytes() == exports.BOM + plain.read_bytes()


def test_a_query_that_fails_midway_raises_its_error_and_leaves_no_pipe(tmp_path: Path):
    con = _con(300_000)
    before = set(_leftovers())
    failing = "select i, case when i = 250000 then error('row ' || i || ' is bad') else name end as name from t"
    with pytest.raises(duckdb.Error, match="row 250000 is bad"):
        exports.write_csv(con, failing, [], tmp_path / "out.csv")
    with pytest.raises(duckdb.Error, match="no_such_table"):   # before COPY opens the pipe
        exports.write_csv(con, "select * from no_such_table", [], tmp_path / "out2.csv")
    assert set(_leftovers()) == before
    assert exports.write_csv(con, "select * from t", [], tmp_path / "out.csv") == 300_000   # and the next one works


def test_a_file_that_cannot_be_opened_raises_once_copy_has_written_everything(tmp_path: Path):
    """The thread cannot open the file (here its folder is missing; a full disk fails the same way, later): it goes on
    reading the pipe, so COPY (7 MB, more than the pipe holds) ends, and then the error is raised."""
    con = _con(200_000)
    before = set(_leftovers())
    with pytest.raises(FileNotFoundError):
        exports.write_csv(con, "select * from t", [], tmp_path / "missing" / "out.csv")
    assert set(_leftovers()) == before


def test_without_a_pipe_copy_writes_the_file_itself(tmp_path: Path, monkeypatch):
    """Where os.mkfifo is missing (Windows), the same bytes, not hashed (digests.json reads the file instead)."""
    con = _con(1000)
    piped, plain, digests = tmp_path / "piped.geojson", tmp_path / "plain.geojson", {}
    exports.write_features(con, "select * from t", [], piped, {"licence": "x"})
    monkeypatch.delattr(os, "mkfifo")
    exports.write_features(con, "select * from t", [], plain, {"licence": "x"}, digests)
    assert plain.read_bytes() == piped.read_bytes() and digests == {}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["piped.geojson", "plain.geojson"]
