"""Ids for files that have none, through a profile alone (issue 11, point 1): a stable hash of named columns, a
template over columns, the record's number; each checked through the real CLI on a real DuckDB file."""

from __future__ import annotations

import json

import pytest

from support import SAMPLE, ingest_json, one_line_error, query, run_cli

PROFILE = """
[profile]
name = "spending-by-place"
dataset = "infrastructure_projects"
title = "Border spending by country, year and place"
publisher = "A ministry"
licence = "CC-BY-4.0"

[detect]
columns = ["Country", "Year", "Location", "Amount"]

[read]
format = "csv"

[dates]
formats = ["%Y"]

[fields]
project_id = { hash = ["Country", "Year", "Location"], prefix = "spend-" }
name = { columns = [{ template = "Post at {Location}" }, { value = "Unnamed post" }] }
kind = { value = "customs" }
status = { value = "completed" }
country_iso3 = "Country"
budget = "Amount"
currency = { value = "EUR" }
actual_end = "Year"
"""
HASH = '{ hash = ["Country", "Year", "Location"], prefix = "spend-" }'
TEMPLATE = '{ template = "{Country}-{Year}-{Location}" }'
ROWS = ["Country,Year,Location,Amount", "EST,2023,Narva,1200", "EST,2024,Narva,1300", "LVA,2023,Terehova,800",
        "LVA,2023,,500"]


def _profile(tmp_path, project_id: str = HASH):
    path = tmp_path / "spending.toml"
    path.write_text(PROFILE.replace(f"project_id = {HASH}", f"project_id = {project_id}"), encoding="utf-8")
    return path


def _ingest(tmp_path, rows: list[str], project_id: str = HASH, db_name: str = "work.duckdb") -> tuple:
    data = tmp_path / "spending.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = tmp_path / db_name
    result = ingest_json(db, data, profile=str(_profile(tmp_path, project_id)))
    return db, result


def _ids(db) -> dict[tuple, str]:
    rows = query(db, "select project_id, country_iso3, year(actual_end), name, budget from infrastructure_projects")
    return {(r[1], r[2], r[3], r[4]): r[0] for r in rows}


def test_a_hash_of_named_columns_keys_a_table_without_ids_and_is_stable(tmp_path):
    db, result = _ingest(tmp_path, ROWS)
    assert [(r["rows_read"], r["rows_loaded"], r["rows_quarantined"]) for r in result] == [(4, 4, 0)]
    ids = _ids(db)
    assert len(set(ids.values())) == 4 and all(i.startswith("spend-") and len(i) == 6 + 16 for i in ids.values())
    assert ids[("LVA", 2023, "Unnamed post", 500.0)] != ids[("LVA", 2023, "Post at Terehova", 800.0)]
    # the same rows in another order, in a new database: the same ids (not the record's position)
    other, _ = _ingest(tmp_path, [ROWS[0], *reversed(ROWS[1:])], db_name="other.duckdb")
    assert _ids(other) == ids


def test_two_rows_with_one_key_and_different_figures_are_conflicting(tmp_path):
    db, result = _ingest(tmp_path, ROWS + ["EST,2023,Narva,9999"])
    assert result[0]["rows_loaded"] == 3 and result[0]["rows_quarantined"] == 2
    reasons = query(db, "select distinct reasons from quarantine")
    assert reasons == [(["conflicting_duplicate"],)]


def test_a_template_names_the_key_and_an_empty_part_leaves_it_empty(tmp_path):
    db, result = _ingest(tmp_path, ROWS, TEMPLATE)
    ids = sorted(r[0] for r in query(db, "select project_id from infrastructure_projects"))
    assert ids == ["EST-2023-Narva", "EST-2024-Narva", "LVA-2023-Terehova"]
    assert result[0]["rows_quarantined"] == 1   # "LVA,2023,,500": no place, so no id: quarantined, not invented
    assert query(db, "select reasons from quarantine") == [(["missing_id"],)]


def test_generated_record_numbers_give_every_feature_an_id(tmp_path):
    features = [{"type": "Feature", "properties": {"id": 7, "name": "Gate", "kind": "barrier",
                                                   "status": "completed", "country_iso3": "USA"},
                 "geometry": {"type": "Point", "coordinates": [-110.0 - n, 31.4]}} for n in range(3)]
    features[2]["properties"]["id"] = None
    data = tmp_path / "gates.geojson"
    data.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    profile = tmp_path / "gates.toml"
    text = (SAMPLE.parent / "data_pipeline" / "profiles" / "borderlens-infrastructure-projects-geojson.toml"
            ).read_text(encoding="utf-8")
    profile.write_text(text.replace('project_id = "project_id"',
                                    'project_id = { generate = "record_number", prefix = "gate-" }')
                           .replace('name = "borderlens-infrastructure-projects-geojson"', 'name = "gates"')
                           .replace('columns = ["project_id", ', 'columns = ['), encoding="utf-8")
    db = tmp_path / "work.duckdb"
    result = ingest_json(db, data, profile=str(profile))
    assert result[0]["rows_loaded"] == 3
    assert sorted(r[0] for r in query(db, "select project_id from infrastructure_projects")) == [
        "gate-1", "gate-2", "gate-3"]


@pytest.mark.parametrize("spec, said", [
    ('{ template = "no column here" }', "names no column"),
    ('{ template = "{Country" }', "unmatched brace"),
    ("{ hash = [] }", "non-empty list of column names"),
    ('{ generate = "uuid" }', "record_number"),
    ('{ hash = ["Country"], column = "Year" }', "exactly one of"),
])
def test_a_wrong_id_source_is_one_line_naming_the_field(tmp_path, spec, said):
    data = tmp_path / "spending.csv"
    data.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    result = run_cli("ingest", data, "--db", tmp_path / "w.duckdb", "--profile", _profile(tmp_path, spec),
                     check=False)
    assert result.returncode == 2
    line = one_line_error(result)
    assert "[fields] project_id" in line and said in line
