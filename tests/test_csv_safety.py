"""CSV files that open safely (OWASP CSV injection, CWE-1236; RFC 4180): formula cells neutralised in text
columns only, numbers left numbers, quoting per RFC 4180, UTF-8 without a byte-order mark except in the Excel
variant, and a file that pandas and Python's csv module read to the same table."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from data_pipeline.export import exports
from support import run_cli

BOM = b"\xef\xbb\xbf"


def _cell(text: str) -> str:
    """The one text cell as the CSV writer of every extract and download writes it (sql/export/macros.sql)."""
    data = exports.table_file(pa.table({"id": [1], "text": [text]}), "csv").decode("utf-8")
    return next(csv.DictReader(io.StringIO(data, newline="")))["text"]


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_a_formula_prefix_gets_one_leading_quote(prefix):
    assert _cell(prefix + "SUM(A1)") == "'" + prefix + "SUM(A1)"
    assert _cell(prefix) == "'" + prefix


@pytest.mark.parametrize("text", ["plain", "a=1", "1-2", " =1", "\n=1", "'quoted", "", "€5", "<b>x</b>"])
def test_other_text_is_left_alone(text):
    assert _cell(text) == text


def _table(tmp_path: Path) -> Path:
    """A real DuckDB file with text, numbers (negative ones too), a list, a date, a boolean and NULLs."""
    path = tmp_path / "cells.duckdb"
    con = duckdb.connect(str(path))
    con.execute("""
        create table cells as
        select * from (values
            (1, '=1+1', -5, -2.5, ['=a', 'b'], date '2024-03-01', true),
            (2, '-2+3', -0, 0.1, ['x'], null, false),
            (3, 'a,b', 12, -1e-7, [], null, null),
            (4, 'say "hi"', null, -1234567.25, null, null, null),
            (5, 'line one' || chr(10) || 'line two', 7, null, ['+c;d'], null, null),
            (6, chr(13) || '=cr', 8, 3.0, null, null, null),
            (7, chr(9) || '=tab', 9, 4.5, null, null, null),
            (8, null, 10, 5.0, null, null, null),
            (9, 'café ☕ مرحبا 👩‍👩‍👧', -11, -6.0, null, null, null)
        ) as t(id, text, whole, real, items, day, flag)
        order by id
    """)
    con.close()
    return path


def _write(db: Path, out: Path, excel: bool = False) -> bytes:
    con = duckdb.connect(str(db), read_only=True)
    try:
        exports.write_csv(con, "select * from cells order by id", [], out, excel=excel)
    finally:
        con.close()
    return out.read_bytes()


def test_rfc4180_quoting_and_neutralising_byte_for_byte(tmp_path: Path):
    data = _write(_table(tmp_path), tmp_path / "cells.csv")
    assert data.decode("utf-8").split("\r\n") == [
        "id,text,whole,real,items,day,flag",
        "1,'=1+1,-5,-2.5,'=a;b,2024-03-01,true",
        "2,'-2+3,0,0.1,x,,false",
        "3,\"a,b\",12,-1e-07,,,",
        '4,"say ""hi""",,-1234567.25,,,',
        '5,"line one\nline two",7,,\'+c;d,,',
        "6,\"'\r=cr\",8,3,,,",
        "7,'\t=tab,9,4.5,,,",
        "8,,10,5,,,",
        "9,café ☕ مرحبا 👩‍👩‍👧,-11,-6,,,",
        "",
    ]


def test_negative_numbers_stay_numbers_in_a_release_extract(tmp_path: Path, release_secret_inputs):
    out = tmp_path / "crossings.csv"
    run_cli("export", "crossings", "--release", release_secret_inputs.release, "--format", "csv", "--out", out)
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    lons = [row["lon"] for row in rows if row["lon"]]
    assert lons and all(lon.startswith("-") for lon in lons)  # US-Canada border: west of Greenwich
    assert all(float(lon) < 0 for lon in lons)


def test_utf8_without_bom_by_default_and_with_bom_for_excel(tmp_path: Path, release_secret_inputs):
    plain, excel = tmp_path / "plain.csv", tmp_path / "excel.csv"
    for out, extra in ((plain, []), (excel, ["--excel"])):
        run_cli("export", "exercise_notices", "--release", release_secret_inputs.release, "--format", "csv",
                "--out", out, *extra)
    data = plain.read_bytes()
    assert not data.startswith(BOM)
    data.decode("utf-8")  # strict: raises on anything that is not UTF-8
    assert excel.read_bytes() == BOM + data
    parquet = run_cli("export", "exercise_notices", "--release", release_secret_inputs.release, "--format",
                      "parquet", "--excel", "--out", tmp_path / "x.parquet", check=False)
    assert parquet.returncode == 2 and "--excel" in parquet.stderr


def _read_both(data: bytes, encoding: str) -> tuple[list[list[str]], list[list[str]]]:
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding=encoding)
    by_pandas = [list(frame.columns)] + frame.values.tolist()
    by_csv = list(csv.reader(io.StringIO(data.decode(encoding), newline="")))
    return by_pandas, by_csv


@pytest.mark.parametrize("excel", [False, True], ids=["utf-8", "excel"])
def test_pandas_and_the_csv_module_read_the_same_table(tmp_path: Path, excel: bool):
    data = _write(_table(tmp_path), tmp_path / "cells.csv", excel=excel)
    by_pandas, by_csv = _read_both(data, "utf-8-sig" if excel else "utf-8")
    assert by_pandas == by_csv
    assert len(by_csv) == 10 and by_csv[0][0] == "id"
    assert [row[1] for row in by_csv[1:]] == ["'=1+1", "'-2+3", "a,b", 'say "hi"', "line one\nline two",
                                             "'\r=cr", "'\t=tab", "", "café ☕ مرحبا 👩‍👩‍👧"]


def test_a_release_extract_reads_the_same_with_pandas_and_csv(release_secret_inputs):
    for dataset in ("crossings", "exercise_notices", "infrastructure_projects"):
        data = (release_secret_inputs.release / "extracts" / f"{dataset}.csv").read_bytes()
        by_pandas, by_csv = _read_both(data, "utf-8")
        assert by_pandas == by_csv and len(by_csv) > 1, dataset


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_a_large_table_is_written_in_its_own_order(tmp_path: Path, fmt: str):
    """Two publishes of the same data give the same extract bytes: the writers keep the table's row order on
    DuckDB's parallel threads. (The formula guard once tested `left(x, 1) in (...)`, and with it about 1 row in
    5,000 of a 300,000-row table came out of order.)"""
    con = duckdb.connect(str(tmp_path / "t.duckdb"))
    con.execute("set threads = 2")
    con.execute("create table t as select i, 'place ' || (i % 997) as name, '=x' || (i % 13) as formula, "
                "-70.0 + (i % 100) / 10.0 as lon, 40.0 + (i % 50) / 10.0 as lat from range(300000) r(i) order by i")
    out = tmp_path / f"t.{fmt}"
    if fmt == "csv":
        exports.write_csv(con, "select * from t", [], out)
        ids = [int(row["i"]) for row in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline=""))]
    else:
        exports.write_geojson(con, "select * from t", [], out)
        ids = [f["properties"]["i"] for f in json.loads(out.read_text(encoding="utf-8"))["features"]]
    con.close()
    assert ids == list(range(300000))
