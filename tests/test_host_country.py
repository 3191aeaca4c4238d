"""A notice or project can name the country it takes place in apart from the notifying or funding state (issue 11,
point 7): host_iso3. Coordinates are checked against that country (else the row's own): a point far outside it is
published with location_outside_country and the distance to it; a pair that fits only once exchanged is still
quarantined as coordinates_swapped; an exercise held abroad whose host is named is no longer taken for a swapped
pair. Through the real CLI on real DuckDB files, then into a release and its extracts."""

from __future__ import annotations

import csv
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod

from support import NOTICE_HEADER, PROJECT_HEADER, SAMPLE, ingest_json, query, run_cli, write
from data_pipeline.db import migrations

GEOD = Geod(ellps="WGS84")

NOTICES = [  # notice_id, notifying, host, lat, lon
    ("N-HOME", "EST", "", 59.43, 24.75),          # Tallinn: at home
    ("N-ABROAD", "USA", "Estonia", 58.6, 25.0),    # a US exercise held in Estonia, host named (by name: countries)
    ("N-NOHOST", "USA", "", 58.6, 25.0),           # the same with no host: outside the notifying state
    ("N-WRONG", "EST", "", -25.0, 135.0),          # an Estonian base in Australia: the wrong continent
    ("N-SWAP", "EST", "LVA", 24.6, 56.9),          # Latvia, latitude and longitude exchanged
    ("N-IRAN", "RUS", "IRN", 32.0, 53.0),          # held in Iran: exchanged it would fall in Russia's extent
    ("N-IRAN-NOHOST", "RUS", "", 32.0, 53.0),      # ... which is what it is taken for without a host
    ("N-NARNIA", "EST", "Narnia", 59.0, 25.0),     # a host that is no country
]
PROJECTS = [  # project_id, country, host, lat, lon
    ("P-UKR", "POL", "UKR", 49.0, 31.0),           # a Polish-funded project in Ukraine
    ("P-BRAZIL", "FIN", "", -10.0, -55.0),         # a Finnish border post in Brazil
    ("P-HOME", "FIN", "", 61.0, 28.9),
]


def _notices(folder: Path) -> Path:
    header = NOTICE_HEADER + ["host_iso3"]
    rows = []
    for notice_id, notifying, host, lat, lon in NOTICES:
        row = dict.fromkeys(header, "")
        row.update(notice_id=notice_id, notifying_iso3=notifying, host_iso3=host, lat=lat, lon=lon,
                   start_date="2025-03-01", end_date="2025-03-05", troops=1000)
        rows.append(row)
    return _csv(folder / "notices.csv", header, rows)


def _projects(folder: Path) -> Path:
    header = PROJECT_HEADER + ["host_iso3"]
    rows = []
    for project_id, country, host, lat, lon in PROJECTS:
        row = dict.fromkeys(header, "")
        row.update(project_id=project_id, name=project_id, kind="customs", status="planned",
                   country_iso3=country, host_iso3=host, lat=lat, lon=lon)
        rows.append(row)
    return _csv(folder / "projects.csv", header, rows)


def _csv(path: Path, header: list[str], rows: list[dict]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("host")
    db = folder / "work.duckdb"
    sources = ingest_json(db, _notices(folder), _projects(folder))
    assert [(s["rows_read"], s["rows_loaded"], s["rows_quarantined"]) for s in sources] == [(8, 5, 3), (3, 3, 0)]
    return db


def test_points_are_checked_against_the_host_country(work: Path):
    rows = {r[0]: r[1:] for r in query(work, "select notice_id, host_iso3, location_outside_country, "
                                             "outside_country_km from exercise_notices")}
    assert rows["N-HOME"] == (None, False, None)
    assert rows["N-ABROAD"] == ("EST", False, None)
    assert rows["N-IRAN"] == ("IRN", False, None)
    for outside in ("N-NOHOST", "N-WRONG"):
        assert rows[outside][:2] == (None, True), outside
    assert rows["N-NOHOST"][2] == pytest.approx(_oracle_km("USA", 58.6, 25.0), abs=2)  # to Alaska, over the pole
    assert rows["N-WRONG"][2] == pytest.approx(_oracle_km("EST", -25.0, 135.0), abs=2)
    quarantined = dict(query(work, "select json_extract_string(raw_record, '$.notice_id'), reasons "
                                   "from quarantine"))
    assert quarantined == {"N-SWAP": ["coordinates_swapped"], "N-IRAN-NOHOST": ["coordinates_swapped"],
                           "N-NARNIA": ["unknown_country"]}
    projects = {r[0]: r[1:] for r in query(work, "select project_id, host_iso3, location_outside_country, "
                                                 "outside_country_km from infrastructure_projects")}
    assert projects["P-UKR"] == ("UKR", False, None)
    assert projects["P-HOME"] == (None, False, None)
    assert projects["P-BRAZIL"][:2] == (None, True)
    assert projects["P-BRAZIL"][2] == pytest.approx(_oracle_km("FIN", -10.0, -55.0), abs=2)


def _oracle_km(iso3: str, lat: float, lon: float) -> float:
    """The shortest geodesic to any point of the country's Natural Earth 110m outline densified to 0.01 degree,
    by pyproj's Geod over every vertex (independent of the frame the code measures in)."""
    frame = gpd.read_file(SAMPLE / "geo" / "ne_110m_admin_0_countries.geojson")
    outline = shapely.segmentize(frame[frame["ADM0_A3"] == iso3].geometry.union_all().boundary, 0.01)
    xy = shapely.get_coordinates(outline)
    _, _, metres = GEOD.inv(np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1])
    return float(metres.min() / 1000)


def test_the_check_reaches_the_release_and_its_extracts(work: Path, tmp_path: Path):
    policy = write(tmp_path / "policy.toml", """
[policy]
name = "host country test"

[[rule]]
id = "home-coarse"
dataset = "exercise_notices"
action = "coarsen_location"
h3_resolution = 5
when = "notice_id = 'N-WRONG'"
reason = "the check of an exact place goes with it"

[[rule]]
id = "brazil-dropped"
dataset = "infrastructure_projects"
action = "drop"
fields = ["lat", "lon", "geometry_geojson"]
when = "project_id = 'P-BRAZIL'"
reason = "a dropped place takes its check with it"
""")
    release = tmp_path / "release"
    run_cli("publish", "--db", work, "--policy", policy, "--out", release)
    db = release / "borderlens.duckdb"
    assert query(db, "select notice_id, host_iso3, location_outside_country, outside_country_km from "
                     "exercise_notices where notice_id in ('N-ABROAD', 'N-NOHOST', 'N-WRONG') order by 1") == [
        ("N-ABROAD", "EST", False, None),
        ("N-NOHOST", None, True, query(work, "select outside_country_km from exercise_notices "
                                             "where notice_id = 'N-NOHOST'")[0][0]),
        ("N-WRONG", None, None, None),  # coarsened: checked on the exact place, not published
    ]
    with open(release / "extracts" / "infrastructure_projects.csv", encoding="utf-8-sig", newline="") as handle:
        extract = {r["project_id"]: r for r in csv.DictReader(handle)}
    assert extract["P-UKR"]["host_iso3"] == "UKR"
    assert extract["P-BRAZIL"]["location_outside_country"] == extract["P-BRAZIL"]["outside_country_km"] == ""
    assert extract["P-BRAZIL"]["lat"] == ""
    with open(release / "extracts" / "exercise_notices.csv", encoding="utf-8-sig", newline="") as handle:
        notices = {r["notice_id"]: r for r in csv.DictReader(handle)}
    assert notices["N-NOHOST"]["location_outside_country"].lower() == "true"
    assert float(notices["N-NOHOST"]["outside_country_km"]) > 1000


def test_a_database_from_before_the_host_country_stays_readable(tmp_path: Path):
    """A working database at schema 8 (the columns of migration 009 removed, as before it) takes the migration on
    its next command; its notices are then checked like new ones, once, by the next ingest."""
    import duckdb

    db = tmp_path / "old.duckdb"
    ingest_json(db, _notices(tmp_path))
    con = duckdb.connect(str(db))
    for table in ("exercise_notices", "infrastructure_projects"):
        for column in ("host_iso3", "location_outside_country", "outside_country_km"):
            con.execute(f"alter table {table} drop column {column}")
    con.execute("delete from schema_version where version = 9")  # as before it; later ones stay
    con.close()
    status = run_cli("status", "--db", db).stdout
    assert "exercise_notices" in status
    assert query(db, "select max(version) from schema_version") == [(migrations()[-1][0],)]
    assert query(db, "select count(*), count(location_outside_country) from exercise_notices") == [(5, 0)]
    ingest_json(db, _projects(tmp_path))
    # the old rows have no host: those held abroad are outside their notifying state
    assert query(db, "select notice_id from exercise_notices where location_outside_country order by 1") == [
        ("N-ABROAD",), ("N-IRAN",), ("N-NOHOST",), ("N-WRONG",)]


def test_the_dashboard_lists_the_host_and_the_distance(work: Path, tmp_path: Path):
    """The notice's detail and the projects table (the query layer the pages call, on a real release)."""
    from data_pipeline.views.queries import Filters
    from data_pipeline.views.queries_notices import notice_detail
    from data_pipeline.views.queries_projects import projects_table

    policy = write(tmp_path / "policy.toml", """
[policy]
name = "one rule that matches nothing"

[[rule]]
id = "nothing"
dataset = "exercise_notices"
action = "drop"
fields = ["area_name"]
when = "notice_id = 'none'"
reason = "a policy needs a rule"
""")
    release = tmp_path / "release"
    run_cli("publish", "--db", work, "--policy", policy, "--out", release)
    km = query(work, "select outside_country_km from exercise_notices where notice_id = 'N-NOHOST'")[0][0]
    for notice_id, host, outside, distance in (("N-ABROAD", "EST", "no", ""),
                                               ("N-NOHOST", "", "yes", f"{km:,.1f}")):
        table, _, _ = notice_detail(str(release), Filters(), notice_id)
        shown = dict(zip(table["field"], table["value"]))
        assert shown["Held in (host country)"] == host
        assert shown["Outside the country it is held in (over 25 km)"] == outside
        assert shown["Distance outside that country (km)"] == distance
    projects = projects_table(str(release), Filters(), "any", ()).set_index("project_id")
    assert projects.loc["P-UKR", "host_iso3"] == "UKR"
    assert projects.loc["P-BRAZIL", "outside_country_km"] == pytest.approx(
        query(work, "select outside_country_km from infrastructure_projects where project_id = 'P-BRAZIL'")[0][0])
