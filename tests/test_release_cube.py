"""Extracts and data dictionary of the crossings cube (issue 10, point 7): a column per dimension in every
crossings extract, its code list in datapackage.json. Expected codes come from the input file (csv module)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq

from support import REPO, run_cli

FRONTEX = (REPO / "sample_data" / "crossings"
           / "frontex_irregular_border_crossings_monthly_2009-01_2025-04.csv")


def test_a_column_per_dimension_with_its_code_list(tmp_path: Path):
    with open(FRONTEX, newline="", encoding="utf-8") as handle:
        by_line = {number: row for number, row in enumerate(csv.DictReader(handle), start=2)}
    db, release = tmp_path / "work.duckdb", tmp_path / "release"
    run_cli("ingest", FRONTEX, "--db", db, "--no-progress")
    run_cli("publish", "--db", db, "--policy", REPO / "sample_data" / "policy.toml", "--out", release)
    with open(release / "extracts" / "crossings.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(by_line)
    for row in rows:
        published = by_line[int(row["source_line"])]
        assert (row["dimension_nationality"], row["dimension_border_type"]) == (published["nat"],
                                                                                published["type"].lower())
    table = pq.read_table(release / "extracts" / "crossings.parquet")
    assert {"dimension_nationality", "dimension_border_type"} <= set(table.column_names)
    package = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    [resource] = [r for r in package["resources"] if r["name"] == "crossings"]
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    assert fields["dimension_nationality"]["constraints"]["enum"] == sorted({r["nat"] for r in by_line.values()})
    assert fields["dimension_border_type"]["constraints"]["enum"] == ["land", "sea"]
    run_cli("verify", "--release", release)
