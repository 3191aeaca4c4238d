"""`borderlens serve --replicas 2`: two Streamlit replicas behind a real nginx, driven by Chromium.

Checked through nginx's own access log (its runtime folder; one line per request, with the replica that answered
and the browser's user agent, unique per browser context here): every request of one browser, its websocket
(/_stcore/stream) included, reached one replica; different browsers reached both. Then the operator flips the
`current` link to a new release: a newly opened page shows the new release id, an open page keeps its release
and says new data is available. SIGTERM stops nginx and both replicas and removes the runtime folder.

nginx must be installed (.ci/run installs it): without it this test fails, it does not skip.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from data_pipeline.serve import free_port
from support import BORDERLENS, REPO
from test_release_swap import point, release_id, releases  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

WAIT_S = 120   # the most any condition below is waited for (a ceiling, not a wait)
LOG_LINE = re.compile(r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) \d+ replica=(?P<replica>\S+) '
                      r'cookie="(?P<cookie>[^"]*)" agent="(?P<agent>[^"]*)"')
RENDERED = """(title) => {
    const app = document.querySelector("[data-testid='stApp']");
    const h1 = document.querySelector("[data-testid='stMain'] h1");
    return !!app && app.getAttribute('data-test-script-state') === 'notRunning' && !!h1 &&
        h1.innerText.includes(title) &&
        !document.querySelector("[data-testid='stStatusWidget'], [data-testid='stSkeleton']");
}"""


def _until(condition, what: str):
    """Poll condition() until it is truthy (returned) or WAIT_S pass (fail, saying what was awaited)."""
    deadline = time.monotonic() + WAIT_S
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"waited {WAIT_S} s for {what}"
        time.sleep(0.2)


@contextmanager
def serving(release: Path, log: Path):
    """`borderlens serve --replicas 2` on a free loopback port; yields (base URL, runtime folder, process)."""
    port = free_port()
    with open(log, "w") as out:
        process = subprocess.Popen([BORDERLENS, "serve", "--release", str(release), "--port", str(port),
                                    "--address", "127.0.0.1", "--replicas", "2"], cwd=REPO, stdout=out,
                                   stderr=subprocess.STDOUT)
        try:
            def started():
                assert process.poll() is None, log.read_text()
                found = re.search(r"runtime folder (\S+)", log.read_text())
                return found and Path(found.group(1))
            runtime = _until(started, "borderlens serve to say it is serving")
            yield f"http://127.0.0.1:{port}", runtime, process
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    process.kill()


def _open(browser, base: str, agent: str):
    context = browser.new_context(user_agent=agent, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(WAIT_S * 1000)   # clicks too: a busy machine is slow, not wrong
    page = context.new_page()
    page.goto(base + "/", wait_until="domcontentloaded")
    page.wait_for_function(RENDERED, arg="Overview", polling=100, timeout=WAIT_S * 1000)
    return context, page


def _navigate(page, path: str, title: str) -> str:
    """Go to another page by the sidebar's link (same Streamlit session); returns the main block's text."""
    page.locator(f"[data-testid='stSidebarNav'] a[href$='{path}']").first.click()
    page.wait_for_function(RENDERED, arg=title, polling=100, timeout=WAIT_S * 1000)
    assert page.locator("[data-testid='stException']").count() == 0
    return page.locator("[data-testid='stMain']").inner_text()


def _requests(runtime: Path) -> list[dict]:
    text = (runtime / "access.log").read_text(encoding="utf-8", errors="replace")
    return [m.groupdict() for m in LOG_LINE.finditer(text)]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"


def test_replicas_behind_nginx_keep_each_browser_on_one_and_swap_releases(browser, releases, tmp_path):
    assert shutil.which("nginx") or Path("/usr/sbin/nginx").exists(), \
        "nginx is not installed: apt-get install nginx-light (.ci/run does)"
    a, b = tmp_path / "releases" / "a", tmp_path / "releases" / "b"
    shutil.copytree(releases["a"], a)
    shutil.copytree(releases["b"], b)
    current = tmp_path / "current"
    current.symlink_to(a)
    id_a, id_b = release_id(a), release_id(b)
    agents = [f"borderlens-test-browser-{n}" for n in range(4)]

    with serving(current, tmp_path / "serve.log") as (base, runtime, process):
        assert (runtime / "nginx.conf").is_file() and oct(runtime.stat().st_mode & 0o777) == "0o700"
        nginx_pid = int(_until(lambda: (runtime / "nginx.pid").is_file() and (runtime / "nginx.pid").read_text(),
                               "nginx's pid file"))
        tabs = [_open(browser, base, agent) for agent in agents]
        for context, page in tabs:
            assert id_a[:12] in _navigate(page, "/trends", "Crossing trends")
        for context, page in tabs[1:]:
            context.close()   # nginx logs a websocket when it closes
        reader = tabs[0][1]

        point(current, b)   # the operator swaps the new release in
        newcomer, page = _open(browser, base, "borderlens-test-browser-new")
        main = page.locator("[data-testid='stMain']").inner_text()
        assert id_b[:12] in main and id_a[:12] not in main
        newcomer.close()
        text = _navigate(reader, "/about", "About the data")   # the open session: its release, and a notice
        assert id_a[:12] in text and "New data is available" in text and id_b[:12] in text, text[:3000]
        tabs[0][0].close()

        # the release's files, streamed by nginx from the served path (now release b), each as an attachment:
        # where the Downloads page links the extracts too large for a download button
        name = "extracts/crossings.parquet"
        with urllib.request.urlopen(f"{base}/release-files/{name}", timeout=60) as answer:
            assert answer.read() == (b / name).read_bytes() != (a / name).read_bytes()
            assert answer.headers["Content-Disposition"] == "attachment"
        with pytest.raises(urllib.error.HTTPError) as listing:   # no folder listing
            urllib.request.urlopen(f"{base}/release-files/extracts/", timeout=60)
        assert listing.value.code in (403, 404)

        every = [*agents, "borderlens-test-browser-new"]

        def all_logged():
            requests = _requests(runtime)
            streams = {r["agent"] for r in requests if r["path"] == "/_stcore/stream" and r["status"] == "101"}
            return requests if streams >= set(every) else None
        requests = _until(all_logged, "every browser's websocket in nginx's access log")

        served = {agent: {r["replica"] for r in requests if r["agent"] == agent} for agent in every}
        for agent, replicas in served.items():
            assert len(replicas) == 1, f"{agent} reached {replicas}"
            cookies = {r["cookie"] for r in requests if r["agent"] == agent} - {"-", ""}
            assert len(cookies) == 1, f"{agent} sent the replica cookies {cookies}"
        assert len(set().union(*served.values())) == 2, served

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    assert not runtime.exists()
    assert not _alive(nginx_pid)
    ports = re.search(r"ports (\d+), (\d+)", (tmp_path / "serve.log").read_text()).groups()
    for port in ports:   # the replicas are gone: nothing listens on their ports any more
        with socket.socket() as s, pytest.raises(ConnectionRefusedError):
            s.connect(("127.0.0.1", int(port)))
