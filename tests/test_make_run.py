"""The README's first command: `make run` builds what is missing and serves the dashboard on the demo release."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request

from support import REPO


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode("utf-8", "replace")


def test_make_run_serves_the_demo_release():
    port = _free_port()
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
        status, body = _get(f"http://127.0.0.1:{port}/")
        assert status == 200 and "<div id=\"root\">" in body
        assert (REPO / "build" / "demo-release" / "release.json").is_file()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
