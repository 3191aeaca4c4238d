"""A built wheel runs on its own: `uv build` (sdist, then the wheel from it), installed in a fresh venv, then
`borderlens ingest` -> `publish` (with the suppression audit's linear programs) -> `serve` from a folder outside
the checkout, and the Overview rendered in Chromium. The wheel must carry app.py, pages/, sql/, static/ and the reference geometry (setup.py), and the
installed package must find them there, not in this checkout."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from support import BIN, CHROMIUM, REPO, SAMPLE, free_port, rendered
from test_disclosure_audit import _generated

UV = BIN / "uv"
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}


def _run(*args, cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=CLEAN_ENV, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, f"{' '.join(map(str, args))}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin/ folder of a fresh venv holding the wheel built from this checkout (dependencies at the locked
    versions, from uv's cache when it has them)."""
    if not UV.exists():
        pytest.skip(f"uv not found at {UV} (make .venv/.installed installs it)")
    work = tmp_path_factory.mktemp("wheel")
    _run(UV, "build", "--quiet", "--out-dir", work / "dist", REPO, cwd=work)
    wheels = list((work / "dist").glob("borderlens-*.whl"))
    assert len(wheels) == 1, wheels
    _run(UV, "venv", "--quiet", "--python", BIN / "python", work / "venv", cwd=work)
    _run(UV, "pip", "install", "--quiet", "--python", work / "venv" / "bin" / "python",
         "-c", REPO / "requirements.lock", wheels[0], cwd=work)
    return work / "venv" / "bin"


def test_the_installed_package_reads_its_own_files(installed, tmp_path):
    code = ("import data_pipeline, json; from data_pipeline.paths import resource_root; "
            "print(json.dumps([data_pipeline.__file__, str(resource_root())]))")
    package, root = json.loads(_run(installed / "python", "-c", code, cwd=tmp_path).stdout)
    site = installed.parent / "lib"
    assert Path(package).is_relative_to(site) and Path(root).is_relative_to(site), (package, root)
    for name in ("app.py", "pages/map.py", "pages/overview.py", "dashboard_ui/tables.py", "sql/app/macros.sql",
                 "static/geo/countries_110m.geojson",
                 "sample_data/geo/ne_10m_admin_0_boundary_lines_land.geojson", ".streamlit/config.toml"):
        assert (Path(root) / name).is_file(), name


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed (apt-get install chromium)")
def test_ingest_publish_serve_from_the_wheel(installed, tmp_path):
    borderlens = installed / "borderlens"
    # Not the whole demo (its suppression audit took 2-3 minutes here): one crossings file of the sample (the 2019
    # BTS slice) and two generated ports with small counts, so that the audit solves linear programs from the wheel
    # too, beside the sample's notices and projects.
    small = _generated(tmp_path, ports=2)
    _run(borderlens, "ingest", SAMPLE / "crossings" / "bts_border_crossing_entry_data_2019_insight_sample.csv",
         small, SAMPLE / "notices", SAMPLE / "projects", "--db", "work.duckdb", "--no-progress", cwd=tmp_path)
    published = _run(borderlens, "publish", "--db", "work.duckdb", "--policy", SAMPLE / "policy.toml", "--out",
                     "release", "--json", cwd=tmp_path)
    audit = json.loads(published.stdout)["notes"]["suppression_audit"]
    assert audit["passed"] and audit["primaries"] > 0 and audit["linear_programs"] > 0, audit
    release_id = json.loads((tmp_path / "release" / "release.json").read_text(encoding="utf-8"))["release_id"]

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with open(tmp_path / "serve.log", "w") as log:
        process = subprocess.Popen([str(borderlens), "serve", "--release", "release", "--port", str(port)],
                                   cwd=tmp_path, env=CLEAN_ENV, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "borderlens serve did not come up within 60 s"
            time.sleep(0.2)
        text = rendered(f"{url}/")
        assert "Overview" in text and release_id in text, text[:2000]
        # the offline basemap is served from the installed static/ folder
        with urllib.request.urlopen(f"{url}/app/static/geo/countries_110m.geojson", timeout=10) as response:
            assert json.loads(response.read())["type"] == "FeatureCollection"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
