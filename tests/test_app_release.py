"""The dashboard's test harness: one real release per test session, built by the real CLI, and AppTest helpers.

`borderlens ingest sample_data/... (the demo's every input, the real MME exercises world-wide among them) + hostile
seed files --db tmp/work.duckdb` then
`borderlens publish --db ... --policy sample_data/policy.toml --out tmp/release`, once per test session (shared by
the pytest-xdist workers: build_release).
The seed files put HTML, script and markdown into text fields that the pages show (notice designation,
purpose and area, a crossing point's name, a project's name and description), so every page test also
renders hostile text. Set BORDERLENS_TEST_RELEASE to an existing release folder to skip the build.

The tests in this file check the release contract the dashboard relies on (docs/release.md).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from support import built_once

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "app.py"
BORDERLENS = str(Path(sys.executable).parent / "borderlens")

XSS_DESIGNATION = "<script>alert('xss-designation')</script>"
XSS_PURPOSE = "<img src=x onerror=alert('xss-purpose')>"
XSS_AREA = "[click me](javascript:alert('xss-area')) ![p](http://127.0.0.1:9/pixel.png)"
XSS_PORT = "<img src=x onerror=alert('xss-port')>"
XSS_PROJECT = "<svg onload=alert('xss-project')>"
XSS_NOTICE_ID = "XSS-2024-001"
XSS_PORT_CODE = "2699"           # becomes location_id USA-2699
XSS_PORT_LONLAT = (-108.531, 31.336)

HOSTILE_NOTICES = (
    "notice_id,designation,purpose,notifying_iso3,participating_iso3,notified_on,start_date,end_date,troops,"
    "battle_tanks,acvs,artillery,sorties,helicopters,airborne_amphibious,observers_invited,in_annual_calendar,"
    "area_name,lon,lat,area_geojson,location_precision,synthetic,notes\n"
    f'{XSS_NOTICE_ID},"{XSS_DESIGNATION}","{XSS_PURPOSE}",FIN,FIN,2024-03-01,2024-05-06,2024-05-17,14000,120,'
    f'300,80,40,10,false,false,true,"{XSS_AREA}",25.0,61.5,,exact,true,'
    '"SYNTHETIC: hostile text for the dashboard tests"\n'
)
HOSTILE_CROSSINGS = "Port Name,State,Port Code,Border,Date,Measure,Value,Latitude,Longitude,Point\n" + "".join(
    f'"{XSS_PORT}",New Mexico,{XSS_PORT_CODE},US-Mexico Border,{month} 2024,Pedestrians,{5000 + i * 100},'
    f"{XSS_PORT_LONLAT[1]},{XSS_PORT_LONLAT[0]},POINT ({XSS_PORT_LONLAT[0]} {XSS_PORT_LONLAT[1]})\n"
    for i, month in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun")))
HOSTILE_PROJECTS = (
    "project_id,name,kind,status,country_iso3,countries_iso3,funders,budget,currency,planned_start,planned_end,"
    "actual_start,actual_end,lon,lat,location_precision,description,synthetic\n"
    f'XSS-P-001,"{XSS_PROJECT}",road,planned,POL,POL;BLR,"<b>Funder</b>",1000000,EUR,2024-01-01,2026-12-31,,,'
    '23.2,52.9,exact,"<script>alert(\'xss-description\')</script>",true\n'
)


def _cli(*args) -> None:
    result = subprocess.run([BORDERLENS, *map(str, args)], capture_output=True, text=True, cwd=REPO,
                            timeout=900)
    if result.returncode != 0:
        raise AssertionError(f"borderlens {' '.join(map(str, args))} failed ({result.returncode}):\n"
                             f"{result.stdout}\n{result.stderr}")


def _build(folder: Path) -> Path:
    """sample_data + the hostile seed files, ingested and published into folder (the work of build_release)."""
    seeds = folder / "seeds"
    seeds.mkdir(parents=True)
    (seeds / "hostile_notices.csv").write_text(HOSTILE_NOTICES, encoding="utf-8")
    (seeds / "hostile_crossings.csv").write_text(HOSTILE_CROSSINGS, encoding="utf-8")
    (seeds / "hostile_projects.csv").write_text(HOSTILE_PROJECTS, encoding="utf-8")
    work, release = folder / "work.duckdb", folder / "release"
    _cli("ingest", "sample_data/crossings", "sample_data/notices", "sample_data/exercises", "sample_data/projects",
         seeds, "--db", work, "--no-progress")
    _cli("publish", "--db", work, "--policy", "sample_data/policy.toml", "--out", release)
    return release


def build_release(tmp_path_factory) -> str:
    """The path of a release built from sample_data + the hostile seed files, once per test session and shared by
    the pytest-xdist workers (support.built_once); nothing may change it. BORDERLENS_TEST_RELEASE: a release
    folder to use instead."""
    given = os.environ.get("BORDERLENS_TEST_RELEASE")
    if given:
        return given
    return built_once(tmp_path_factory, "borderlens-ui", _build)


@pytest.fixture(scope="session")
def release_dir(tmp_path_factory) -> str:
    return build_release(tmp_path_factory)


def serve_in_apptest(monkeypatch, release) -> None:
    """Make AppTest run the dashboard on `release` as the real server runs it: the entry script runs on every page
    (st.navigation, not pages/), with BORDERLENS_RELEASE set and the checkout as working directory. Every AppTest
    fixture goes through here (app_env for the demo release; a module's own fixture for a release of its own)."""
    import streamlit.testing.v1.app_test as app_test_module
    from streamlit.runtime.pages_manager import PagesManager

    class NavigationPagesManager(PagesManager):
        # AppTest resets the "app uses a pages/ folder" flag before every run; a real server clears it for
        # good once app.py has called st.navigation. Without this, AppTest would run a page file alone.
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            PagesManager.uses_pages_directory = False

    monkeypatch.setattr(app_test_module, "PagesManager", NavigationPagesManager)
    monkeypatch.setenv("BORDERLENS_RELEASE", str(release))
    monkeypatch.chdir(REPO)


@pytest.fixture
def app_env(release_dir, monkeypatch):
    """AppTest as the real server runs it, on the demo release (serve_in_apptest)."""
    serve_in_apptest(monkeypatch, release_dir)
    return release_dir


def new_app(query: dict | None = None, embedded: bool = False):
    """AppTest of app.py (not run yet); query = URL parameters of the first request; embedded: as in an iframe."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=60)
    if embedded:
        at.context["is_embedded"] = True
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at


def open_page(page: str | None, query: dict | None = None, embedded: bool = False):
    """Run the app (overview) and switch to pages/<page>.py; query = URL parameters of the first request."""
    at = new_app(query, embedded).run()
    if page:
        at.switch_page(f"pages/{page}.py").run()
    return at


def whole_period(release: str) -> dict:
    """URL parameters for the release's whole period (a view opens with the latest 24 months by default): for the
    tests that count every notice, project or crossing point of the release."""
    from data_pipeline.views.queries import filter_options

    months = filter_options(release).months
    return {"from": months[0], "to": months[-1]}


def no_exception(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def warnings_text(at) -> str:
    return " ".join(w.value for w in at.warning)


# ---------------------------------------------------------------------------------------------- the contract


def test_release_has_the_tables_the_dashboard_reads(release_dir):
    con = duckdb.connect(str(Path(release_dir) / "borderlens.duckdb"), read_only=True)
    try:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        needed = {"crossings", "exercise_notices", "infrastructure_projects", "borders", "countries",
                  "vd_thresholds", "sources", "revisions", "redactions", "release_info"}
        assert needed <= tables, needed - tables
        for table in ("crossings", "exercise_notices", "infrastructure_projects"):
            columns = {r[0] for r in con.execute(
                "select column_name from information_schema.columns where table_name = ?", [table]).fetchall()}
            assert {"time_precision", "location_cell_geojson", "location_precision"} <= columns, table
        paragraphs = {r[0] for r in con.execute("select distinct paragraph from vd_thresholds").fetchall()}
        assert {"38", "40.1.1", "40.1.2", "40.2", "47.4", "67", "68", "69"} <= paragraphs
        keys = {r[0] for r in con.execute("select key from release_info").fetchall()}
        assert {"release_id", "created", "policy_name", "policy_text"} <= keys
    finally:
        con.close()


def test_hostile_seed_text_is_in_the_release(release_dir):
    con = duckdb.connect(str(Path(release_dir) / "borderlens.duckdb"), read_only=True)
    try:
        names = con.execute("select designation from exercise_notices where notice_id = ?", [XSS_NOTICE_ID]).fetchall()
        assert names == [(XSS_DESIGNATION,)]
        ports = con.execute("select distinct location_name from crossings where location_id = ?",
                            [f"USA-{XSS_PORT_CODE}"]).fetchall()
        assert ports == [(XSS_PORT,)]
    finally:
        con.close()
