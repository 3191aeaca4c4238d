"""`borderlens publish`: the release folder contract (docs/release.md), rules doing what they say, a content-hash
release id that does not change when nothing public changes, and an atomic swap that a failed or killed publish
cannot break."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import signal
import subprocess
import time
from pathlib import Path


from support import BORDERLENS, REPO, query, run_cli, write

TABLES = {"crossings", "exercise_notices", "infrastructure_projects", "borders", "countries", "vd_thresholds",
          "sources", "revisions", "redactions", "release_info", "conflicting_figures", "dimension_codes",
          "crossing_series", "crossing_months", "crossing_reporter_months", "crossing_rankings",
          "notices_chapter8"}
CROSSINGS_EXTRACT = ["location_id", "location_name", "country_iso3", "neighbor_iso3", "reporter_iso3", "direction",
                     "period_start", "period_granularity", "measure", "measure_original", "value", "value_status",
                     "lat", "lon", "source_id"]


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_release_folder_contract(release_secret_inputs):
    release, date = release_secret_inputs.release, release_secret_inputs.publish_date
    db = release / "borderlens.duckdb"
    assert {r[0] for r in query(db, "select table_name from duckdb_tables()")} == TABLES
    assert [r[0] for r in query(db, "select column_name from duckdb_columns() where table_name = 'sources'")] == [
        "source_id", "series_id", "dataset", "publisher", "title", "url", "licence", "profile", "file_name", "sha256",
        "public", "line_numbers", "version", "synthetic", "rows_read", "rows_loaded", "rows_quarantined"]
    for dataset in ("crossings", "exercise_notices", "infrastructure_projects"):
        for fmt in ("csv", "parquet", "geojson"):
            assert (release / "extracts" / f"{dataset}.{fmt}").stat().st_size > 0
    with open(release / "extracts" / "crossings.csv", encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert set(CROSSINGS_EXTRACT) <= set(header)
    assert {"time_precision", "location_cell_geojson"} <= set(header)

    info = json.loads((release / "release.json").read_text(encoding="utf-8"))
    assert info["created"] == date and len(info["release_id"]) == 16
    for table, count in info["row_counts"].items():
        assert query(db, f'select count(*) from "{table}"') == [(count,)]
    assert dict(query(db, "select key, value from release_info"))["release_id"] == info["release_id"]
    assert dict(query(db, "select key, value from release_info"))["created"] == date

    package = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    assert package["id"] == info["release_id"] and info["release_id"] in package["citation"]
    assert date in package["citation"]
    assert package["licenses"] and all("name" in lic for lic in package["licenses"])
    assert package["sources"] and all(isinstance(s["synthetic"], bool) and s["publisher"] for s in package["sources"])
    for resource in package["resources"]:
        assert (release / resource["path"]).is_file()
        if resource["format"] == "csv":
            with open(release / resource["path"], encoding="utf-8", newline="") as handle:
                assert [f["name"] for f in resource["schema"]["fields"]] == next(csv.reader(handle))
            for f in resource["schema"]["fields"]:
                assert f["type"] in {"string", "number", "integer", "date", "boolean", "datetime", "list", "geojson"}
                assert f["description"]

    redactions = json.loads((release / "redactions.json").read_text(encoding="utf-8"))
    assert redactions["release_id"] == info["release_id"]
    assert len(redactions["redactions"]) == query(db, "select count(*) from redactions")[0][0]


def test_rules_do_what_they_say(release_secret_inputs):
    db = release_secret_inputs.release / "borderlens.duckdb"
    counts = {(r[0], r[1], r[2]): r[3] for r in query(
        db, "select rule_id, field, coalesce(detail, ''), sum(rows_affected) from redactions "
            "where rule_id is not null group by all")}
    assert counts[("notices-embargo", "*", "newer than 2025-05-31")] == 1
    assert counts[("notices-near-border", "lat", "")] == 1
    assert counts[("notices-near-border-name", "area_name", "")] == 1
    assert counts[("crossings-small", "value", "primary")] == 5
    assert counts[("crossings-small", "value", "secondary")] >= 5
    assert counts[("projects-budget", "budget", "")] == 2
    assert counts[("projects-surveillance-funders", "funders", "")] == 1
    assert query(db, "select project_id, funders, funders_status, budget from infrastructure_projects order by 1") == [
        ("P-ROAD", ["Public Roads Agency Delta"], "reported", 5000000.0),
        ("P-SURV", None, "dropped", 13579000.0),
        ("P-WITHHELD", ["Fence Works Omega"], "reported", None)]
    assert query(db, "select count(*), count(area_name) from exercise_notices") == [(3, 2)]


def test_same_inputs_give_the_same_release_id(tmp_path: Path, release_secret_inputs, secret_release_builder):
    first = json.loads((release_secret_inputs.release / "release.json").read_text(encoding="utf-8"))["release_id"]
    # fresh files, fresh working database, other ingest times, the same operator key
    again = secret_release_builder(tmp_path / "same_key", key_from=release_secret_inputs.work_db)
    assert json.loads((again.release / "release.json").read_text(encoding="utf-8"))["release_id"] == first
    # another key: the same data, but other source ids (they are keyed hashes) and so another release id
    other = secret_release_builder(tmp_path / "own_key")
    assert json.loads((other.release / "release.json").read_text(encoding="utf-8"))["release_id"] != first
    ids = "select source_id from sources order by series_id, version"
    theirs, ours = query(other.release / "borderlens.duckdb", ids), query(release_secret_inputs.release /
                                                                          "borderlens.duckdb", ids)
    assert len(theirs) == len(ours) == 5 and not set(theirs) & set(ours)
    assert query(other.work_db, "select source_id from sources order by series_id, version") == \
        query(release_secret_inputs.work_db, "select source_id from sources order by series_id, version")
    assert _digest(again.release).keys() == _digest(release_secret_inputs.release).keys()
    for name in ("extracts/crossings.csv", "extracts/exercise_notices.geojson", "redactions.json", "release.json"):
        assert (again.release / name).read_bytes() == (release_secret_inputs.release / name).read_bytes(), name


def _stale(out: Path) -> list[Path]:
    return list(out.parent.glob(f".{out.name}.publish-*"))


def _kill_when(out: Path, ready, policy: Path, db: Path, env: dict) -> bool:
    """Start a publish, SIGKILL it as soon as ready(build_folder) holds; True if it was killed mid-way."""
    process = subprocess.Popen([BORDERLENS, "publish", "--db", str(db), "--policy", str(policy), "--out", str(out)],
                               cwd=REPO, env={**os.environ, **env},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    try:
        while process.poll() is None and time.monotonic() < deadline:
            building = [p for p in _stale(out) if not p.name.endswith("-old")]
            if building and ready(building[0]):
                os.kill(process.pid, signal.SIGKILL)
                break
            time.sleep(0.002)
    finally:
        returncode = process.wait()
    return returncode == -signal.SIGKILL


def test_failed_or_killed_publish_leaves_the_previous_release_whole(tmp_path: Path,
                                                                    release_secret_inputs):
    s = release_secret_inputs
    out = tmp_path / "release"
    result = json.loads(run_cli("publish", "--db", s.work_db, "--policy", s.policy, "--out", out, "--json",
                                env=s.env).stdout)
    before = _digest(out)
    old_id = json.loads((out / "release.json").read_text())["release_id"]
    assert result["release_id"] == old_id and result["path"] == str(out) and result["row_counts"]["crossings"] == 30
    # publishing twice from the same database and policy gives the same id
    assert old_id == json.loads((s.release / "release.json").read_text())["release_id"]

    bad = write(tmp_path / "bad.toml", s.policy.read_text() + '\n[[rule]]\nid = "x"\ndataset = "nowhere"\n'
                                                              'action = "drop"\nfields = ["a"]\nreason = "x"\n')
    failed = run_cli("publish", "--db", s.work_db, "--policy", bad, "--out", out, check=False, env=s.env)
    assert failed.returncode == 2 and _digest(out) == before
    failed = run_cli("publish", "--db", s.work_db, "--policy", s.policy, "--out", out, check=False,
                     env={"BORDERLENS_PUBLISH_DATE": "30/06/2025"})
    assert failed.returncode == 2 and "BORDERLENS_PUBLISH_DATE" in failed.stderr and _digest(out) == before

    other = write(tmp_path / "other.toml", s.policy.read_text().replace("k = 500000", "k = 400000"))
    temp = tmp_path / "temp"  # the publishes' scratch databases (unredacted data) go to TMPDIR
    temp.mkdir()
    env = {**s.env, "TMPDIR": str(temp)}
    killed_midway = 0
    for ready in (lambda b: True, lambda b: any((b / "extracts").glob("*")), lambda b: (b / "release.json").exists()):
        killed = _kill_when(out, ready, other, s.work_db, env)
        now = json.loads((out / "release.json").read_text())["release_id"]
        if now == old_id:
            assert _digest(out) == before, "a killed publish changed the previous release"
            killed_midway += killed
        else:  # the kill came after the swap: then the new release must be whole
            assert set(_digest(out)) == set(before)
            before, old_id = _digest(out), now
    assert killed_midway >= 2, "the publish was never killed mid-way: the test proved nothing"
    if not _stale(out):
        # on a busy machine the last publish can get through before its kill (and clear what the dead ones left):
        # one more, killed as soon as its build folder appears, leaves a dead publish for the next one to clear
        assert _kill_when(out, lambda b: True, other, s.work_db, env), "the publish was not killed mid-way"
    assert _stale(out), "a killed publish leaves its build folder beside the release"
    assert list(temp.glob("borderlens-publish-*")), "a killed publish leaves its scratch database"
    final = json.loads(run_cli("publish", "--db", s.work_db, "--policy", other, "--out", out, "--json",
                               env=env).stdout)
    assert not _stale(out), "the next publish removes build folders of dead publishes"
    assert not list(temp.glob("*")), "the next publish removes the scratch databases of dead publishes"
    assert final["release_id"] != result["release_id"]  # k changed, so the content and the id did
    assert json.loads((out / "release.json").read_text())["release_id"] == final["release_id"]
    assert set(_digest(out)) == set(before)


def test_refuses_to_replace_what_is_not_a_release(tmp_path: Path, release_secret_inputs):
    s = release_secret_inputs
    precious = tmp_path / "documents"
    write(precious.mkdir() or precious / "thesis.txt", "years of work")
    result = run_cli("publish", "--db", s.work_db, "--policy", s.policy, "--out", precious, check=False)
    assert result.returncode == 2 and "refusing to replace it" in result.stderr
    assert (precious / "thesis.txt").read_text() == "years of work"
    result = run_cli("publish", "--db", tmp_path / "missing.duckdb", "--policy", s.policy, "--out",
                     tmp_path / "r", check=False)
    assert result.returncode == 2 and "database not found" in result.stderr


OTHER_POLICY = """
[[rule]]
id = "grid"
dataset = "infrastructure_projects"
action = "coarsen_location"
grid_degrees = 0.5
reason = "grid cells"

[[rule]]
id = "weeks"
dataset = "exercise_notices"
action = "coarsen_time"
fields = ["start_date"]
to = "week"
reason = "weeks"

[[rule]]
id = "quoted"
dataset = "infrastructure_projects"
action = "drop"
fields = ["funders"]
when = "kind = 'x'' or ''a''=''a'"
reason = "a condition whose value holds quotes matches nothing"
"""


def test_grid_cells_weeks_and_bound_conditions(tmp_path: Path, release_secret_inputs):
    s = release_secret_inputs
    policy = write(tmp_path / "policy.toml", OTHER_POLICY)
    run_cli("publish", "--db", s.work_db, "--policy", policy, "--out", tmp_path / "r", env=s.env)
    db = tmp_path / "r" / "borderlens.duckdb"
    [(lat, lon, precision, geometry, cell, kind)] = query(
        db, "select lat, lon, location_precision, geometry_geojson, location_cell_geojson, geometry_type "
            "from infrastructure_projects where project_id = 'P-ROAD'")
    assert (lat, lon, precision, kind) == (27.25, -99.75, "grid_0.5", "Polygon") and geometry == cell
    assert json.loads(cell)["coordinates"] == [[[-100.0, 27.0], [-99.5, 27.0], [-99.5, 27.5], [-100.0, 27.5],
                                                [-100.0, 27.0]]]
    assert query(db, "select start_date::varchar, time_precision from exercise_notices where notice_id = 'N-FAR'") \
        == [("2025-03-03", "week")]
    assert query(db, "select funders from infrastructure_projects where project_id = 'P-SURV'") == [
        (["Zanzibar Mirror Consortium QX-4471"],)]
    assert query(db, "select count(*) from redactions where rule_id = 'quoted'") == [(0,)]
