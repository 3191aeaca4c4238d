"""`borderlens export`: the operator's full view from --db, the public view from --release, --where filters bound
as values and checked against the table's columns, and one-line errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from support import run_cli


def _export(*args, check=True):
    return run_cli("export", *args, check=check)


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_full_view_from_the_working_database(tmp_path: Path, release_secret_inputs):
    s = release_secret_inputs
    out = tmp_path / "notices.csv"
    result = _export("exercise_notices", "--db", s.work_db, "--format", "csv", "--out", out,
                     "--where", "notice_id=N-EMBARGO")
    assert "wrote 1 rows" in result.stderr
    [row] = _rows(out)
    assert row["designation"] == "EMBARGOED-KESTREL-9917"  # the operator sees what the public does not


def test_public_view_from_a_release(tmp_path: Path, release_secret_inputs):
    s = release_secret_inputs
    out = tmp_path / "notices.parquet"
    _export("exercise_notices", "--release", s.release, "--format", "parquet", "--out", out)
    ids = pq.read_table(out).column("notice_id").to_pylist()
    assert sorted(ids) == ["N-FAR", "N-NEAR", "N-WITHHELD"]
    out = tmp_path / "embargoed.csv"
    result = _export("exercise_notices", "--release", s.release, "--format", "csv", "--out", out,
                     "--where", "notice_id=N-EMBARGO")
    assert "wrote 0 rows" in result.stderr and _rows(out) == []


def test_where_filters_by_type(tmp_path: Path, release_secret_inputs):
    s = release_secret_inputs
    out = tmp_path / "c.csv"
    _export("crossings", "--release", s.release, "--format", "csv", "--out", out, "--excel",
            "--where", "location_id=USA-0103", "--where", "period_start=2024-02-01", "--where", "reporter_iso3=USA")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # the Excel variant carries a byte-order mark
    rows = _rows(out)
    assert {(r["location_id"], r["period_start"]) for r in rows} == {("USA-0103", "2024-02-01")} and len(rows) == 3
    _export("crossings", "--db", s.work_db, "--format", "csv", "--out", out, "--where", "value=7")
    assert [(r["location_id"], r["measure"], r["value"]) for r in _rows(out)] == [("USA-0102", "buses", "7")]
    _export("exercise_notices", "--release", s.release, "--format", "csv", "--out", out,
            "--where", "participating_iso3=GBR")
    assert [r["notice_id"] for r in _rows(out)] == ["N-FAR"]
    _export("crossings", "--release", s.release, "--format", "csv", "--out", out, "--where", "value=",
            "--where", "value_status=withheld_by_publisher")
    assert [(r["location_id"], r["value"]) for r in _rows(out)] == [("USA-0102", "")]


def test_geojson_extract(tmp_path: Path, release_secret_inputs):
    out = tmp_path / "p.geojson"
    _export("infrastructure_projects", "--release", release_secret_inputs.release, "--format", "geojson",
            "--out", out, "--where", "project_id=P-ROAD")
    [feature] = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [-99.50911, 27.49922]}
    assert feature["properties"]["funders"] == ["Public Roads Agency Delta"]


@pytest.mark.parametrize("args, expected", [
    (["--where", "colour=red"], "unknown column 'colour' in crossings"),
    (["--where", "value"], "expected COLUMN=VALUE"),
    (["--where", "period_start=yesterday"], "'yesterday' is not a date like 2024-01-31 (column period_start holds DATE)"),
    (["--where", "source_line=1.5"], "'1.5' is not a whole number (column source_line holds BIGINT)"),
    (["--where", "value=nan"], "'nan' is not a finite number (column value holds DOUBLE)"),
    (["--out", "{tmp}"], "--out names a folder, not a file"),
    (["--format", "parquet", "--excel"], "--excel applies to --format csv only"),
])
def test_export_errors_are_one_line(tmp_path: Path, release_secret_inputs, args, expected):
    fmt = [] if "--format" in args else ["--format", "csv"]
    args = [str(tmp_path) if a == "{tmp}" else a for a in args]  # a later --out wins over the default one
    result = _export("crossings", "--release", release_secret_inputs.release, *fmt, "--out", tmp_path / "x",
                     *args, check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert expected in line, line


def test_export_from_a_missing_release(tmp_path: Path):
    result = _export("crossings", "--release", tmp_path / "nope", "--format", "csv", "--out", tmp_path / "x",
                     check=False)
    assert result.returncode == 2 and "release folder not found" in result.stderr


def test_export_from_a_working_database_is_sorted_and_repeatable(tmp_path: Path, release_secret_inputs):
    """The working database stores rows in no fixed order (parallel inserts); its export sorts every column."""
    import duckdb

    s = release_secret_inputs
    first, second = tmp_path / "a.parquet", tmp_path / "b.parquet"
    for out in (first, second):
        _export("crossings", "--db", s.work_db, "--format", "parquet", "--out", out)
    exported = pq.read_table(first).to_pylist()
    assert exported == pq.read_table(second).to_pylist() and len(exported) > 1
    con = duckdb.connect(str(s.work_db), read_only=True)
    try:
        columns = [c for c in pq.read_table(first).column_names]
        expected = con.sql(f"select {', '.join(columns)} from crossings order by all").to_arrow_table().to_pylist()
    finally:
        con.close()
    assert exported == expected
