"""One rule, one place (issue 16): each rule that used to be copied, with copies that disagreed, now has one
definition; here every consumer of it is checked on the demo release against an oracle computed independently.

- the width of a coarsened location's cell (h3_5 was "about 20 km" in the policy, "about 16 km" on the pages);
- km per degree (three copies);
- the list of datasets;
- a value or the marker that says why it is not shown ("number or marker", four copies, three words for missing).
The CSV formula guard is the fourth: tests/test_csv_safety.py (the view downloads), tests/test_hostile_roundtrip.py
(extracts and `borderlens export`) and test_the_quarantine_listing_uses_the_one_formula_guard below.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import duckdb
from pyproj import Geod

from support import REPO, query, run_cli, write
from test_app_release import app_env, no_exception, open_page, release_dir  # noqa: F401

from data_pipeline.publish.cells import KM_PER_DEGREE, cell_km
from data_pipeline.views.queries import Filters, location_marker, precision_table

GEOD = Geod(ellps="WGS84")
ALL_TIME = Filters()


def _db(release: str) -> Path:
    return Path(release) / "borderlens.duckdb"


# ---------------------------------------------------------------------------------------------- cell widths


def _widest_km(geojson: str) -> float:
    """Corner to corner: the largest geodesic distance between two vertices of a published cell polygon."""
    ring = json.loads(geojson)["coordinates"][0]
    return max(GEOD.inv(a[0], a[1], b[0], b[1])[2] for a in ring for b in ring) / 1000


def test_the_cell_width_is_what_a_published_cell_measures(release_dir):  # noqa: F811
    cells = query(_db(release_dir), "select location_precision, location_cell_geojson from exercise_notices "
                                    "where location_cell_geojson is not null")
    assert cells, "the demo release coarsens notices near a border: the check below means something"
    for precision, geojson in cells:
        # an H3 cell is not quite regular: within 15% of the cell's measured width
        assert abs(cell_km(precision) - _widest_km(geojson)) <= 0.15 * _widest_km(geojson), precision


def test_every_consumer_states_the_same_cell_width(app_env):
    db = _db(app_env)
    stated = query(db, "select distinct precision, precision_km from redactions where precision like 'h3_%'")
    assert stated, "the demo policy coarsens to H3 cells"
    for precision, km in stated:
        assert km == cell_km(precision)                                     # the policy, in redactions.json
        words = f"location coarsened to about {round(km)} km"
        # the pages' marker reads the release's own number, and without it works the same number out
        assert location_marker(precision, precision_table(app_env)) == words
        assert location_marker(precision, {}) == words
    at = open_page("notices", {"rows": "250"})
    no_exception(at)
    table = at.dataframe[0].value
    coarsened = query(db, "select notice_id, location_precision from exercise_notices where location_precision "
                          "like 'h3_%'")
    notes = dict(zip(table["notice_id"], table["location_note"]))
    shown = [(notes[n], p) for n, p in coarsened if n in notes]
    assert shown and all(note == f"location coarsened to about {round(cell_km(p))} km" for note, p in shown)
    at = open_page("transparency")
    no_exception(at)
    page = " ".join(str(e.value) for e in [*at.markdown, *at.caption]).replace("\\", "")   # markdown-escaped
    for precision, km in stated:
        assert f"shown only as cells about {km:g} km across" in page


def test_km_per_degree_has_one_definition_and_is_a_degree_of_the_equator():
    degree = GEOD.inv(0, 0, 1, 0)[2] / 1000
    assert abs(KM_PER_DEGREE - degree) < 0.01
    assert cell_km("grid_0.25") == round(0.25 * degree, 1)
    defined = [p.relative_to(REPO) for p in (REPO / "data_pipeline").rglob("*.py") if "111.32" in p.read_text()]
    assert defined == [Path("data_pipeline/publish/cells.py")]


# ---------------------------------------------------------------------------------------------- the datasets


def test_every_list_of_datasets_is_the_canonical_one(app_env):
    from data_pipeline import cli
    from data_pipeline.export import extracts
    from data_pipeline.publish import release_sql
    from data_pipeline.ingest import reports
    from data_pipeline.datasets import DATASET_NAMES
    from data_pipeline.views.queries_overview import DATASET_LABELS
    from data_pipeline.views.queries_transparency import RECORD_WORDS

    # independent of the code: the canonical tables are what the release holds extracts for
    on_disk = {p.stem for p in (Path(app_env) / "extracts").iterdir()}
    assert set(DATASET_NAMES) == on_disk
    assert json.loads((Path(app_env) / "datapackage.json").read_text())["resources"][0]["name"] == DATASET_NAMES[0]
    assert extracts.EXTRACT_DATASETS == release_sql.DATASETS == reports.TABLES[:3] == DATASET_NAMES
    assert cli.DATASET_NAMES == extracts.EXPORTABLE
    assert list(DATASET_LABELS) == list(RECORD_WORDS) == list(DATASET_NAMES)
    at = open_page("revisions")
    no_exception(at)
    assert at.selectbox(key="revisions_dataset").options == ["All datasets", *DATASET_LABELS.values()]


# ---------------------------------------------------------------------------------------------- value or marker

MARKERS = {"withheld_by_publisher": "withheld by publisher", "dropped": "not published (policy)",
           "missing": "not available"}   # docs/release.md, "Markers shown to people"


def _expected(value, status) -> str:
    """What a page shows for a number: the marker of a value not published, 'not stated' when the publisher gave
    none, else the whole number with thousands separators."""
    if status in MARKERS:
        return MARKERS[status]
    if status == "suppressed":
        return "suppressed"
    if value is None:
        return "not stated"
    return f"{round(value):,}"


def _matches(shown: str, expected: str) -> bool:
    return shown.startswith("suppressed") if expected == "suppressed" else shown == expected


def test_every_page_says_a_number_or_why_it_is_not_shown(app_env):
    db = _db(app_env)
    troops = dict((n, (t, s)) for n, t, s in query(db, "select notice_id, troops, troops_status from "
                                                        "exercise_notices"))
    assert {s for _, s in troops.values()} >= {"reported", "withheld_by_publisher"}
    # Exercise notices page: the table
    at = open_page("notices", {"rows": "250"})
    no_exception(at)
    table = at.dataframe[0].value
    assert len(table) > 10
    for notice_id, text in zip(table["notice_id"], table["troops_text"]):
        assert _matches(text, _expected(*troops[notice_id])), notice_id
    # Map page: each exercise area's tooltip
    at = open_page("map", {"layers": "notices", "from": "2023-01", "to": "2026-12"})
    no_exception(at)
    layer = next(layer for layer in json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"]
                 if layer["id"] == "notices")
    tips = [f["properties"]["tooltip"] for f in layer["data"]["features"]]
    assert len(tips) > 10
    for tip in tips:
        notice_id = re.search(r"\(([^()\n]+)\)\n", tip).group(1)
        text = re.search(r"^troops: (.*)$", tip, re.M).group(1)
        assert _matches(text, _expected(*troops[notice_id])), notice_id
    # Infrastructure page: budgets, with their currency
    budgets = dict((p, (b, s, c)) for p, b, s, c in query(db, "select project_id, budget, budget_status, currency "
                                                              "from infrastructure_projects"))
    at = open_page("infrastructure", {"rows": "250"})
    no_exception(at)
    table = at.dataframe[0].value
    for project_id, text in zip(table["project_id"], table["budget_text"]):
        budget, status, currency = budgets[project_id]
        expected = _expected(budget, status)
        if budget is not None and status in ("reported", "estimated", None):
            expected = f"{expected} {currency or ''}".strip()
        assert _matches(text, expected), project_id


# ---------------------------------------------------------------------------------------------- CSV formula guard


def test_the_quarantine_listing_uses_the_one_formula_guard(tmp_path: Path):
    """The quarantine CSV goes through the extracts' SQL guard: a text cell a spreadsheet would run gets one
    leading quote; the raw record (JSON, starting with '{') is left as it is."""
    db = tmp_path / "w.duckdb"
    bad = write(tmp_path / "bad.csv", "Port Name,State,Port Code,Border,Date,Measure,Value\n"
                                      "Jackman,Maine,0104,US-Canada Border,Jan 2024,Trucks,=1+1\n")
    run_cli("ingest", bad, "--db", db)
    con = duckdb.connect(str(db))
    try:   # a source id as hostile as a file could make it (ids come from profile names and hashes)
        con.execute("update quarantine set source_id = '=HYPERLINK(\"x\")', dataset = '@SUM(A1)'")
    finally:
        con.close()
    rows = list(csv.DictReader(io.StringIO(run_cli("quarantine", "--db", db, "--format", "csv").stdout)))
    assert [(r["source_id"], r["dataset"], r["reasons"]) for r in rows] == [
        ("'=HYPERLINK(\"x\")", "'@SUM(A1)", "unparseable_number")]
    assert json.loads(rows[0]["raw_record"])["Value"] == "=1+1"
