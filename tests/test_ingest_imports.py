"""An ingest pays only for the modules it needs (issue 11, point 9: no fixed cost): the geo step works on lists and
numpy arrays and reads the prebuilt reference tables through DuckDB, so a fresh `borderlens ingest` never imports
pandas, pyarrow or geopandas (together about 0.2 s of every ingest, and 140 MB of its memory)."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb

from support import REPO, SAMPLE

HEAVY = ("pandas", "pyarrow", "geopandas")

PROBE = """
import json, sys
from data_pipeline.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "loaded": sorted(m for m in sys.modules if m.split(".")[0] in %r)}))
""" % (HEAVY,)


def test_an_ingest_of_every_kind_of_place_imports_no_pandas(tmp_path):
    """Crossings (points with a country pair), notices (points and areas, checked against their host country) and
    projects (lines): every path of geo.derive and the host-country check runs, in a fresh process."""
    db = tmp_path / "work.duckdb"
    inputs = [SAMPLE / "crossings" / "bts_border_crossing_entry_data_2019_insight_sample.csv", SAMPLE / "notices" / "exercise_notices_demo.csv",
              SAMPLE / "projects" / "infrastructure_projects_demo.geojson"]
    result = subprocess.run([sys.executable, "-c", PROBE, "ingest", *map(str, inputs), "--db", str(db)],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe == {"code": 0, "loaded": []}, probe
    with duckdb.connect(str(db), read_only=True) as con:   # the geo step did run: borders found, hosts checked
        places, notices, hosts, projects = con.execute("""
            select (select count(*) from crossing_places where border_id is not null),
                   (select count(*) from exercise_notices where nearest_border_id is not null),
                   (select count(*) from exercise_notices where location_outside_country is not null),
                   (select count(*) from infrastructure_projects where nearest_border_id is not null)""").fetchall()[0]
    assert places > 0 and notices > 0 and hosts > 0 and projects > 0, (places, notices, hosts, projects)
