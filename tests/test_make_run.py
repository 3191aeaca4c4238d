"""The README's first command: `make run` builds what is missing and serves the dashboard on the demo release:
the Overview is opened in real Chromium and must render its figures from that release (the HTML shell Streamlit
serves before any script runs proves nothing: it is the same when the app crashes)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import json
import urllib.request
from pathlib import Path

import pytest

from support import CHROMIUM, REPO, free_port, rendered

def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode("utf-8", "replace")


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed (apt-get install chromium)")
def test_make_run_serves_the_demo_release():
    port = free_port()
    process = subprocess.Popen(["make", "run", f"PORT={port}"], cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.time() + 300
        while time.time() < deadline:
            assert process.poll() is None, process.stdout.read()
            try:
                if _get(f"http://127.0.0.1:{port}/_stcore/health")[0] == 200:
                    break
            except OSError:
                time.sleep(1)
        else:
            raise AssertionError("the dashboard did not come up within 300 s")
        info = json.loads((REPO / "build" / "demo-release" / "release.json").read_text(encoding="utf-8"))
        text = rendered(f"http://127.0.0.1:{port}/")
        assert "Overview" in text and info["release_id"] in text, text[:2000]
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
