"""Shared fixtures: a working database and a release built from inputs seeded with known secrets.

`release_secret_inputs` (session scope: build once, never modify; a SecretRelease) ingests small files in the
publishers' template layouts with the real CLI, publishes them under SECRET_POLICY with a fixed publish date,
and says which values must never appear in the release (`secret_texts`, `secret_numbers`) and which must
(`control_texts`, `control_numbers`), so a search for them can be shown to work. `secret_release_builder` builds
the same thing again in a folder of your own.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from support import query, run_cli, write

PUBLISH_DATE = "2025-06-30"
K = 500_000  # suppress_below k for crossings: large, so that secret counts can be distinctive numbers
# (six digits or more: the borders table is full of 5-decimal coordinates, so any 5-digit text is in it)

SECRET_POLICY = f"""
[policy]
name = "secret test policy"

[[rule]]
id = "notices-embargo"
dataset = "exercise_notices"
action = "embargo_days"
fields = ["start_date"]
days = 30
reason = "recent activities wait"

[[rule]]
id = "notices-near-border"
dataset = "exercise_notices"
action = "coarsen_location"
h3_resolution = 5
when = "distance_to_border_km < 25"
reason = "exact areas near a border are sensitive"

[[rule]]
id = "notices-near-border-name"
dataset = "exercise_notices"
action = "drop"
fields = ["area_name"]
when = "distance_to_border_km < 25"
reason = "the name would give the place back"

[[rule]]
id = "crossings-small"
dataset = "crossings"
action = "suppress_below"
fields = ["value"]
k = {K}
reason = "small counts single people out"

[[rule]]
id = "projects-budget"
dataset = "infrastructure_projects"
action = "round_to"
fields = ["budget"]
base = 1000
reason = "contract terms"

[[rule]]
id = "projects-surveillance-funders"
dataset = "infrastructure_projects"
action = "drop"
fields = ["funders"]
when = "kind = 'surveillance'"
reason = "suppliers of surveillance"
"""

NOTICE_HEADER = ("notice_id,designation,purpose,notifying_iso3,participating_iso3,notified_on,start_date,end_date,"
                 "troops,battle_tanks,acvs,artillery,sorties,helicopters,airborne_amphibious,observers_invited,"
                 "in_annual_calendar,area_name,lon,lat,area_geojson,location_precision,synthetic")
NEAR_AREA = [[27.601234, 60.701234], [27.645678, 60.701234], [27.645678, 60.723456], [27.601234, 60.723456],
             [27.601234, 60.701234]]
NOTICES = [
    # near the Finnish-Russian border (about 10 km): coarsened to H3 res 5, area name dropped
    ["N-NEAR", "NORTHERN WATCH 25", "Field training", "FIN", "FIN", "2025-01-05", "2025-03-01", "2025-03-10",
     "9100", "60", "300", "90", "10", "5", "false", "false", "true", "Secret Range Kappa-7731", "27.623456",
     "60.712345", json.dumps({"type": "Polygon", "coordinates": [NEAR_AREA]}, separators=(",", ":")), "exact",
     "true"],
    # far from any border (central Estonia): published exactly; positive control
    ["N-FAR", "CENTRAL LANTERN 25", "Field training", "EST", "EST;GBR", "2025-01-10", "2025-03-05", "2025-03-12",
     "13500", "150", "470", "120", "80", "20", "false", "true", "true", "Public Range Tapa-Alpha", "25.954321",
     "59.254321", "", "exact", "true"],
    # starts within 30 days of the publish date: embargoed, not in the release at all
    ["N-EMBARGO", "EMBARGOED-KESTREL-9917", "Snap exercise", "LVA", "LVA", "2025-06-01", "2025-06-20", "2025-06-28",
     "9500", "70", "210", "40", "0", "3", "false", "false", "false", "Embargo Field Sigma-5521", "24.356789",
     "57.078912", "", "exact", "true"],
    # troops withheld by the publisher with the template's marker; the designation beside it is distinctive
    ["N-WITHHELD", "NEIGHBOUR-OF-WITHHELD-QZ", "Command post exercise", "POL", "POL", "2025-01-20", "2025-04-01",
     "2025-04-05", "█████", "0", "40", "12", "0", "8", "false", "false", "true", "Drawsko Pomorskie",
     "15.812345", "53.512345", "", "near", "true"],
]

PROJECT_HEADER = ("project_id,name,kind,status,country_iso3,countries_iso3,funders,budget,currency,planned_start,"
                  "planned_end,actual_start,actual_end,lon,lat,location_precision,description,synthetic")
PROJECTS = [
    ["P-SURV", "Ridge cameras", "surveillance", "planned", "USA", "USA", "Zanzibar Mirror Consortium QX-4471",
     "13579246", "USD", "2025-01-01", "2026-01-01", "", "", "-116.940211", "32.556311", "near", "Towers", "true"],
    ["P-ROAD", "Valley road", "road", "completed", "USA", "USA;MEX", "Public Roads Agency Delta", "5000000", "USD",
     "2022-01-01", "2023-01-01", "2022-02-01", "2023-03-01", "-99.509111", "27.499222", "exact", "Road", "true"],
    ["P-WITHHELD", "NEIGHBOUR-OF-WITHHELD-BUDGET", "barrier", "planned", "USA", "USA", "Fence Works Omega",
     "█████", "USD", "2025-01-01", "2026-01-01", "", "", "-106.451234", "31.761234", "near", "Fence", "true"],
]

# BTS layout: port A (0101) and B (0102) and C (0103) on the US-Canada border, three measures, three months.
# Every value is distinct so that a value found in the release can only be that cell's.
PORTS = {"0101": ("Alpha Falls", 45.011111, -72.111111), "0102": ("Beta Bridge", 45.022222, -71.822222),
         "0103": ("Gamma Gap", 45.033333, -71.533333)}
MONTHS = ["Jan 2024", "Feb 2024", "Mar 2024"]
MEASURES = ["Trucks", "Buses", "Pedestrians"]
SMALL = {("0101", "Jan 2024", "Trucks"): "479311", ("0102", "Feb 2024", "Buses"): "7",
         ("0103", "Mar 2024", "Pedestrians"): "3", ("0101", "Feb 2024", "Pedestrians"): "318775"}
WITHHELD_CELL = ("0102", "Mar 2024", "Trucks")
REVISED = {("0103", "Jan 2024", "Trucks"): ("9700001", "9700002"),  # both large: the revision is published
           ("0103", "Feb 2024", "Trucks"): ("412347", "7123451")}    # old value small: the revision is withheld


def _crossing_rows(version: int) -> list[list[str]]:
    rows, n = [], 0
    for port, (name, lat, lon) in PORTS.items():
        for month in MONTHS:
            for measure in MEASURES:
                n += 1
                key = (port, month, measure)
                value = str(6_000_000 + 11_173 * n)
                value = SMALL.get(key, value)
                if key in REVISED:
                    value = REVISED[key][version - 1]
                if key == WITHHELD_CELL:
                    value = "(D)"
                rows.append([name, "Vermont", port, "US-Canada Border", month, measure, value, str(lat), str(lon)])
    return rows


# The Canadian mirror figures for port A (wide layout, outbound from Canada): a second reporter in the
# (place, period, measure) margin.
MIRROR = ("reporter;crossing_point;crossing_code;neighbour;direction;measure;2024-01;2024-02;2024-03\n"
          "CAN;Alpha Falls;USA-0101;USA;outbound;Trucks;6.333.331;488.881;6.444.441\n")


@dataclass
class SecretRelease:
    folder: Path
    work_db: Path
    policy: Path
    release: Path
    env: dict
    k: int = K
    publish_date: str = PUBLISH_DATE
    secret_texts: list[str] = field(default_factory=list)
    secret_numbers: list[float] = field(default_factory=list)
    control_texts: list[str] = field(default_factory=list)
    control_numbers: list[float] = field(default_factory=list)


def _csv(rows) -> str:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def write_secret_inputs(folder: Path) -> dict[str, Path]:
    """The seeded input files, in the publishers' layouts (two versions of the BTS file)."""
    folder.mkdir(parents=True, exist_ok=True)
    bts_header = ["Port Name", "State", "Port Code", "Border", "Date", "Measure", "Value", "Latitude", "Longitude"]
    return {
        "notices": write(folder / "notices.csv", NOTICE_HEADER + "\n" + _csv(NOTICES)),
        "projects": write(folder / "projects.csv", PROJECT_HEADER + "\n" + _csv(PROJECTS)),
        "bts_v1": write(folder / "bts_v1.csv", _csv([bts_header] + _crossing_rows(1))),
        "bts_v2": write(folder / "bts_v2.csv", _csv([bts_header] + _crossing_rows(2))),
        "mirror": write(folder / "mirror.csv", MIRROR),
        "policy": write(folder / "policy.toml", SECRET_POLICY),
    }


def build_release_secret_inputs(folder: Path, key_from: Path | None = None) -> SecretRelease:
    """Ingest the seeded inputs, publish them, and list what must and must not be in the release.
    key_from: a working database whose operator key (WORK.duckdb.key) this one shares (else a key of its own)."""
    files = write_secret_inputs(folder / "inputs")
    work_db, release = folder / "work.duckdb", folder / "release"
    if key_from is not None:
        shutil.copyfile(key_from.with_name(key_from.name + ".key"), work_db.with_name(work_db.name + ".key"))
    env = {"BORDERLENS_PUBLISH_DATE": PUBLISH_DATE}
    # bts_v2 after bts_v1: a new version of the same series, so revisions are recorded
    run_cli("ingest", files["notices"], files["projects"], files["bts_v1"], files["mirror"], files["bts_v2"],
            "--db", work_db)
    run_cli("publish", "--db", work_db, "--policy", files["policy"], "--out", release, env=env)
    near_distance = query(work_db, "select distance_to_border_km from exercise_notices where notice_id = 'N-NEAR'")
    suppressed = query(release / "borderlens.duckdb",
                       "select location_id, reporter_iso3, direction, period_start, measure from crossings "
                       "where value_status = 'suppressed'")
    secret_counts = []
    for key in suppressed:
        secret_counts += [r[0] for r in query(
            work_db, "select value from crossings where location_id = ? and reporter_iso3 = ? and direction = ? "
                     "and period_start = ? and measure = ?", list(key))]
    secrets = SecretRelease(folder, work_db, files["policy"], release, env)
    secrets.secret_texts = ["EMBARGOED-KESTREL-9917", "Embargo Field Sigma-5521", "Zanzibar Mirror Consortium",
                            "QX-4471", "Secret Range Kappa-7731", "█████"]
    secrets.secret_numbers = (
        [60.712345, 27.623456, 57.078912, 24.356789, 13579246.0, 412347.0, near_distance[0][0]]
        + sorted({c for corner in NEAR_AREA for c in corner})
        + sorted(secret_counts))
    secrets.control_texts = ["Public Roads Agency Delta", "Public Range Tapa-Alpha", "NEIGHBOUR-OF-WITHHELD-QZ",
                             "25.954321", "59.254321"]
    secrets.control_numbers = [25.954321, 59.254321, 9700002.0, 9700001.0, 13579000.0]
    return secrets


# The order pytest-xdist hands the files out in (make test: --dist loadfile --no-loadscope-reorder; xdist would
# otherwise hand out the files with the most tests first, and the long files below, with few tests, last, leaving
# one worker running one of them alone at the end). First the longest, test_bench_audit (issue 15's million-cell
# release and its attacks, one test of three to four minutes), then test_app_release, whose worker builds the
# dashboard tests' release that most files wait for (support.built_once), while the other workers run the files that
# take longest and need no such release (pytest --durations, make test on the 2-core CI machine), longest first; then
# the rest in collection order.
FIRST_FILES = ["test_bench_audit.py", "test_app_release.py", "test_disclosure_audit.py", "test_docs.py",
               "test_bench_pages_smoke.py", "test_make_run.py", "test_wheel.py", "test_publish_faults.py"]


def pytest_collection_modifyitems(items):
    first = {name: i for i, name in enumerate(FIRST_FILES)}
    items.sort(key=lambda item: first.get(item.path.name, len(FIRST_FILES)))   # stable: the rest keep their order


@pytest.fixture(scope="session")
def release_secret_inputs(tmp_path_factory) -> SecretRelease:
    """The seeded working database and its release (built once per session; tests must not change it)."""
    return build_release_secret_inputs(tmp_path_factory.mktemp("secret_release"))


@pytest.fixture()
def secret_release_builder():
    """build_release_secret_inputs(folder): the same seeded release built again, in a folder of your own
    (test modules cannot import conftest by name: tests/browser has a conftest of its own)."""
    return build_release_secret_inputs


@pytest.fixture
def deferred_downloads(monkeypatch) -> dict:
    """file name -> the callable that Streamlit runs when that download button is clicked (recorded on the way
    through Streamlit's own media file manager, which still does its work)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    made = {}
    add_deferred = MediaFileManager.add_deferred

    def keep(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        made[file_name] = data_callable
        return add_deferred(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    return made
