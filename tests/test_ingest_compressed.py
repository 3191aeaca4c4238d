"""Compressed inputs (issue 11, point 5): a .gz file and each data member of a .zip archive load exactly what the
plain file loads (rows, counts, quarantined line numbers), each member as its own source named ARCHIVE!MEMBER; a
compressed file that cannot be read is one line naming it (and the member) and exit code 2. The compressed files
are made here, with the gzip and zipfile modules, from the real samples in sample_data/crossings. Real CLI, real
DuckDB files."""

from __future__ import annotations

import gzip
import json
import zipfile
from pathlib import Path

import pytest

from support import SAMPLE, one_line_error, query, run_cli

BTS = SAMPLE / "crossings" / "bts_border_crossing_entry_data_2023-01_2025-02.csv"
EU = SAMPLE / "crossings" / "eu_border_guard_crossings_demo.csv"  # wide, with rows it quarantines
# Every canonical column but the source id (which names the profile and the hash: equal too, checked apart).
ROWS = ("select * exclude (source_id) from crossings where source_id = ? "
        "order by source_line, period_start, measure, direction")
QUARANTINE = "select line_no, reasons, raw_record from quarantine where source_id = ? order by line_no, reasons, raw_record::varchar"


def _ingest(db: Path, *paths, env: dict | None = None) -> list[dict]:
    return json.loads(run_cli("ingest", *paths, "--db", db, "--json", env=env).stdout)["sources"]


def _loaded(db: Path, source: dict) -> tuple:
    counts = query(db, "select rows_read, rows_loaded, rows_quarantined from sources where source_id = ?",
                   [source["source_id"]])
    return counts, query(db, ROWS, [source["source_id"]]), query(db, QUARANTINE, [source["source_id"]])


def test_gzip_and_zip_members_load_what_the_plain_files_load(tmp_path: Path):
    plain_db = tmp_path / "plain.duckdb"
    plain = _ingest(plain_db, BTS, EU)
    assert plain[1]["rows_quarantined"] > 0  # so the line numbers of quarantined rows are compared too
    gz = tmp_path / "bts.csv.gz"
    gz.write_bytes(gzip.compress(BTS.read_bytes()))
    archive = tmp_path / "crossings.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(BTS, "2025/bts.csv")
        z.write(EU, "eu.csv")
        z.writestr("README.txt", "not data: left out")
        z.writestr("__MACOSX/._eu.csv", b"\x00\x05\x16\x07")  # a Mac's resource fork: left out
    for compressed, members in ((gz, [None]), (archive, ["2025/bts.csv", "eu.csv"])):
        db = tmp_path / f"{compressed.name}.duckdb"
        sources = _ingest(db, compressed)
        assert len(sources) == len(members)
        for source, member, original in zip(sources, members, plain):
            name = f"{compressed}!{member}" if member else str(compressed)
            assert source["path"] == name and source["status"] == "loaded"
            assert source["source_id"] == original["source_id"]  # the hash is the unpacked file's
            assert query(db, "select path, file_name from sources where source_id = ?", [source["source_id"]]) == \
                [(name, f"{compressed.name}!{member}" if member else compressed.name)]
            counts, rows, quarantined = _loaded(db, source)
            assert (counts, rows, quarantined) == _loaded(plain_db, original)
            assert counts[0][0] == counts[0][1] + counts[0][2] and len(rows) == counts[0][1] > 0


def test_the_same_table_shipped_compressed_after_the_plain_file_is_unchanged(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    [plain] = _ingest(db, EU)
    gz = tmp_path / "eu.csv.gz"
    gz.write_bytes(gzip.compress(EU.read_bytes()))
    [again] = _ingest(db, gz)
    assert again["status"] == "unchanged" and again["source_id"] == plain["source_id"]
    assert query(db, "select count(*) from sources") == [(1,)]


def test_a_folder_contributes_its_compressed_files(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "eu.csv.gz").write_bytes(gzip.compress(EU.read_bytes()))
    (folder / "notes.txt.gz").write_bytes(gzip.compress(b"not data"))
    with zipfile.ZipFile(folder / "bts.zip", "w") as z:
        z.write(BTS, "bts.csv")
    sources = _ingest(tmp_path / "w.duckdb", folder)
    assert [s["path"] for s in sources] == [f"{folder / 'bts.zip'}!bts.csv", str(folder / "eu.csv.gz")]


def _zip(name: str, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED):
    def make(folder: Path) -> Path:
        path = folder / name
        with zipfile.ZipFile(path, "w", method) as z:
            for member, data in members.items():
                z.writestr(member, data)
        return path
    return make


def _bytes(name: str, data: bytes):
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path
    return make


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
EU_BYTES = EU.read_bytes()

# name: (how to make the file, words the one line holds besides the file's name, environment)
REFUSED = {
    "a truncated gzip": (_bytes("eu.csv.gz", gzip.compress(EU_BYTES)[:200]), "cut short", None),
    "a corrupt gzip": (_bytes("eu.csv.gz", gzip.compress(EU_BYTES)[:20] + b"\xff" * 300), "corrupt", None),
    "a zip with no data member": (_zip("x.zip", {"notes.txt": b"x", "img/logo.png": PNG}), "no data files", None),
    "an empty zip": (_bytes("x.zip", b"PK\x05\x06" + bytes(18)), "no data files", None),
    "a corrupt zip": (_bytes("x.zip", b"PK\x03\x04" + b"\x00" * 100), "corrupt zip", None),
    "a member that is not text": (_zip("x.zip", {"png.csv": PNG}), "x.zip!png.csv: not a text file", None),
    "a gzip of a file that is not text": (_bytes("x.csv.gz", gzip.compress(PNG)), "not a text file", None),
    "a member past the unpack limit": (_zip("x.zip", {"big.csv": b"0" * (3 << 20)}),
                                       "more than 1 MiB (the limit, set by BORDERLENS_UNPACK_LIMIT_MB)",
                                       {"BORDERLENS_UNPACK_LIMIT_MB": "1"}),
    "a gzip past the unpack limit": (_bytes("x.csv.gz", gzip.compress(b"0" * (3 << 20))), "more than 1 MiB",
                                     {"BORDERLENS_UNPACK_LIMIT_MB": "1"}),
    "a zip bomb under the limit": (_zip("x.zip", {"bomb.csv": b"0" * (120 << 20)}), "decompression bomb", None),
    "a member named outside the archive": (_zip("x.zip", {"../eu.csv": EU_BYTES}), "outside the archive", None),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_compressed_file_that_cannot_be_read_is_one_line(case: str, tmp_path: Path):
    make, words, env = REFUSED[case]
    path = make(tmp_path)
    db = tmp_path / "w.duckdb"
    line = one_line_error(run_cli("ingest", path, "--db", db, check=False, env=env))
    assert str(path) in line and words in line, line
    assert query(db, "select count(*) from sources") == [(0,)]
    assert query(db, "select status from ingest_runs") == [("failed",)]


def test_a_bad_member_after_a_good_one_leaves_the_good_one_loaded(tmp_path: Path):
    path = _zip("x.zip", {"eu.csv": EU_BYTES, "png.csv": PNG})(tmp_path)
    db = tmp_path / "w.duckdb"
    line = one_line_error(run_cli("ingest", path, "--db", db, check=False))
    assert line.endswith(f"{path}!png.csv: not a text file (NUL bytes, and not UTF-8); borderlens reads CSV, JSON "
                         f"and GeoJSON as text, in UTF-8 or with a byte-order mark"), line
    assert query(db, "select path from sources") == [(f"{path}!eu.csv",)]
    assert query(db, "select path, status from ingest_runs order by started_at") == \
        [(f"{path}!eu.csv", "loaded"), (f"{path}!png.csv", "failed")]
