"""Text as the publisher wrote it: free text is kept byte for byte (a cell of one space stays one space), and a
list of text (funders) follows the documented list rules of docs/profiles.md: `;` items are trimmed and empty ones
dropped, a JSON array is kept exactly, and text that only starts like one ('[Draft] Agency') is not lost. A funders
cell whose items changed is kept as published in the working database's cells_as_published, never in a release."""

from __future__ import annotations

import csv
import io
import json

import pytest

from support import query, run_cli, write

PROJECT_HEADER = ["project_id", "name", "kind", "status", "country_iso3", "countries_iso3", "funders", "budget",
                  "currency", "planned_start", "planned_end", "actual_start", "actual_end", "lon", "lat",
                  "location_precision", "description", "synthetic"]
# free text as published -> the same bytes in the working database, the release and its extracts
BLANKISH = [" ", "   ", "\u3000", "\u00a0", " x ", "\t"]
# a CSV funders cell -> the funders list (docs/profiles.md, "Lists")
FUNDERS_CSV = {
    "A;B": ["A", "B"],
    " A ; B ;": ["A", "B"],
    "A;;B": ["A", "B"],
    "[Draft] Agency; Other": ["[Draft] Agency", "Other"],
    '["  Spaced  ", "x;y"]': ["  Spaced  ", "x;y"],
}
FUNDERS_JSON = [" A ", "x;y", "B\u00a0"]  # a GeoJSON array: kept exactly


def _project(key: str, name: str, funders: str) -> dict:
    return {"project_id": key, "name": name, "kind": "road", "status": "planned", "country_iso3": "EST",
            "countries_iso3": "EST", "funders": funders, "budget": "1000", "currency": "EUR",
            "planned_start": "2024-01-01", "planned_end": "2025-01-01", "actual_start": "", "actual_end": "",
            "lon": "25.95", "lat": "59.25", "location_precision": "exact", "description": name, "synthetic": "true"}


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("as_published")
    rows = [_project(f"T-{i}", text, "Somebody") for i, text in enumerate(BLANKISH)]
    rows += [_project(f"F-{i}", "funded", cell) for i, cell in enumerate(FUNDERS_CSV)]
    rows += [_project("S-0", "funders of spaces", "   ")]
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=PROJECT_HEADER, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    projects_csv = write(folder / "projects.csv", buffer.getvalue())
    props = {k: v for k, v in _project("G-0", "funded", "").items() if v != "" and k not in ("lon", "lat")}
    props.update(countries_iso3=["EST"], funders=FUNDERS_JSON, budget=1000)
    projects_geojson = write(folder / "projects.geojson", json.dumps(
        {"type": "FeatureCollection", "template": "borderlens-infrastructure-projects/1",
         "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [25.95, 59.25]},
                       "properties": props}]}, ensure_ascii=False))
    work, release = folder / "work.duckdb", folder / "release"
    sources = json.loads(run_cli("ingest", projects_csv, projects_geojson, "--db", work, "--json").stdout)["sources"]
    assert [(s["rows_loaded"], s["rows_quarantined"]) for s in sources] == [(len(rows), 0), (1, 0)]
    policy = write(folder / "policy.toml", '[policy]\nname = "budgets rounded"\n\n[[rule]]\nid = "b"\n'
                   'dataset = "infrastructure_projects"\naction = "round_to"\nfields = ["budget"]\nbase = 10\n'
                   'reason = "not under test"\n')
    run_cli("publish", "--db", work, "--policy", policy, "--out", release,
            env={"BORDERLENS_PUBLISH_DATE": "2025-06-30"})
    return {"work": work, "release": release}


@pytest.mark.parametrize("where", ["work", "release"])
def test_free_text_is_kept_byte_for_byte(published, where):
    db = published[where] if where == "work" else published[where] / "borderlens.duckdb"
    got = dict((r[0], (r[1], r[2])) for r in query(
        db, "select project_id, name, description from infrastructure_projects where project_id like 'T-%'"))
    assert got == {f"T-{i}": (text, text) for i, text in enumerate(BLANKISH)}


def test_free_text_in_the_csv_extract(published):
    with open(published["release"] / "extracts" / "infrastructure_projects.csv", encoding="utf-8", newline="") as f:
        names = {r["project_id"]: r["name"] for r in csv.DictReader(f) if r["project_id"].startswith("T-")}
    # a tab first could run as a formula in a spreadsheet: it gets the one leading quote, nothing else changes
    assert names == {f"T-{i}": ("'" + text if text == "\t" else text) for i, text in enumerate(BLANKISH)}


@pytest.mark.parametrize("where", ["work", "release"])
def test_lists_of_text_follow_the_documented_rules(published, where):
    db = published[where] if where == "work" else published[where] / "borderlens.duckdb"
    got = dict(query(db, "select project_id, funders from infrastructure_projects "
                         "where project_id similar to '[FG]-.*'"))
    expected = {f"F-{i}": items for i, items in enumerate(FUNDERS_CSV.values())}
    expected["G-0"] = FUNDERS_JSON
    assert got == expected
    statuses = {r[0] for r in query(db, "select distinct funders_status from infrastructure_projects "
                                        "where project_id similar to '[FG]-.*'")}
    assert statuses == {"reported"}


def test_the_working_database_keeps_each_list_cell_whose_items_changed_as_published(published):
    got = {r[0]: (r[1], r[2], r[3]) for r in query(published["work"], """
        select p.project_id, c.dataset, c.field, c.as_published
        from cells_as_published c
        join infrastructure_projects p on p.source_id = c.source_id and p.source_line = c.source_line""")}
    # items trimmed or dropped, and a cell of spaces loaded as missing; "A;B" and both JSON arrays loaded as written
    assert got == {"F-1": ("infrastructure_projects", "funders", " A ; B ;"),
                   "F-2": ("infrastructure_projects", "funders", "A;;B"),
                   "F-3": ("infrastructure_projects", "funders", "[Draft] Agency; Other"),
                   "S-0": ("infrastructure_projects", "funders", "   ")}
    assert query(published["work"], "select funders, funders_status from infrastructure_projects "
                                    "where project_id = 'S-0'") == [(None, "missing")]


def test_cells_as_published_stay_in_the_working_database(published):
    release = published["release"]
    assert query(release / "borderlens.duckdb", "select count(*) from duckdb_tables() "
                                                "where table_name = 'cells_as_published'") == [(0,)]
    for path in release.rglob("*"):
        if path.is_file():
            assert b" A ; B ;" not in path.read_bytes() and b"A;;B" not in path.read_bytes(), path
