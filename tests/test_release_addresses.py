"""Fixed addresses: a real `borderlens serve` answers /app/static/latest/... and /app/static/<release_id>/...
with the release's own files (feed, extracts, datapackage), fetched over HTTP and read back with pandas."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from data_pipeline.serve import free_port
from support import BORDERLENS, REPO
from test_app_release import release_dir  # noqa: F401
from test_release_swap import releases  # noqa: F401 (fixture)

START_TIMEOUT_S = 90   # a ceiling on waiting for the server to answer, not a wait


def _get(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, b"", ""
    except OSError:   # not listening yet
        return 0, b"", ""


@pytest.fixture(scope="module")
def served(release_dir):
    port = free_port()
    server = subprocess.Popen([BORDERLENS, "serve", "--release", release_dir, "--port", str(port)], cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while _get(f"{url}/_stcore/health")[0] != 200:
            assert server.poll() is None, server.stderr.read().decode("utf-8", "replace") if server.stderr else ""
            assert time.monotonic() < deadline, "borderlens serve did not answer"
            time.sleep(0.2)   # polling the health address until it answers
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_latest_feed_datapackage_and_extracts_are_served_as_published(served, release_dir):
    release = Path(release_dir)
    status, body, kind = _get(f"{served}/app/static/latest/feed.atom")
    assert status == 200 and body == (release / "feed.atom").read_bytes() and "atom" in kind
    status, body, _ = _get(f"{served}/app/static/latest/datapackage.json")
    assert status == 200 and json.loads(body) == json.loads((release / "datapackage.json").read_text("utf-8"))
    for dataset in ("crossings", "exercise_notices", "infrastructure_projects"):
        for fmt in ("csv", "parquet", "geojson"):
            status, body, _ = _get(f"{served}/app/static/latest/extracts/{dataset}.{fmt}")
            assert status == 200 and body == (release / "extracts" / f"{dataset}.{fmt}").read_bytes()
    status, body, _ = _get(f"{served}/app/static/latest/extracts/crossings.parquet")
    crossings = pd.read_parquet(io.BytesIO(body))
    assert {"location_id", "value", "value_status"} <= set(crossings.columns) and len(crossings)


def test_a_cited_release_is_served_at_its_id(served, release_dir):
    release_id = json.loads((Path(release_dir) / "release.json").read_text("utf-8"))["release_id"]
    status, body, _ = _get(f"{served}/app/static/{release_id}/extracts/exercise_notices.csv")
    assert status == 200
    notices = pd.read_csv(io.BytesIO(body))
    assert len(notices) and "notice_id" in notices.columns
    status, body, _ = _get(f"{served}/app/static/{release_id}/release.json")
    assert status == 200 and json.loads(body)["release_id"] == release_id
    assert _get(f"{served}/app/static/0000000000000000/release.json")[0] == 404   # another id: not here


def test_the_dashboard_and_its_basemap_still_serve(served):
    status, body, _ = _get(f"{served}/app/static/geo/countries_110m.geojson")
    assert status == 200 and json.loads(body)["type"] == "FeatureCollection"
    assert _get(f"{served}/")[0] == 200
    assert _get(f"{served}/app/static/latest/../../app.py")[0] in (400, 404)


def _start(release: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen([BORDERLENS, "serve", "--release", release, "--port", str(port)], cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    return server, f"http://127.0.0.1:{port}"


def _served_id(url: str) -> str:
    status, body, _ = _get(f"{url}/app/static/latest/release.json")
    return json.loads(body)["release_id"] if status == 200 else ""


def test_latest_follows_a_release_swapped_in_while_serving(releases, tmp_path):
    """The operator flips `current` from release a to b (docs/release.md) while serve runs: /latest/ turns to b
    without a restart, and a's own address still answers for those who cited it."""
    from test_release_swap import point, release_id

    (tmp_path / "releases").mkdir()
    a, b = (shutil.copytree(releases[n], tmp_path / "releases" / n) for n in ("a", "b"))
    current = tmp_path / "current"
    current.symlink_to(a)
    server, url = _start(current)
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while _served_id(url) != release_id(a):
            assert server.poll() is None, server.stderr.read().decode("utf-8", "replace") if server.stderr else ""
            assert time.monotonic() < deadline, "borderlens serve did not serve release a at /latest/"
            time.sleep(0.2)   # polling until the server answers
        point(current, b)
        deadline = time.monotonic() + START_TIMEOUT_S
        while _served_id(url) != release_id(b):
            assert server.poll() is None, server.stderr.read().decode("utf-8", "replace") if server.stderr else ""
            assert time.monotonic() < deadline, "/latest/ did not follow the swapped-in release"
            time.sleep(0.2)   # polling until /latest/ turns
        status, body, _ = _get(f"{url}/app/static/latest/extracts/crossings.csv")
        assert status == 200 and body == (b / "extracts" / "crossings.csv").read_bytes()
        status, body, _ = _get(f"{url}/app/static/{release_id(a)}/release.json")
        assert status == 200 and json.loads(body)["release_id"] == release_id(a)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
