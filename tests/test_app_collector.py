"""The dashboard's start-up objects leave the garbage collector's sight once per process (dashboard_ui/collector.py):
after the first page view they are in gc's permanent generation, and later page views add nothing to it."""

from __future__ import annotations

import json
import subprocess
import sys

from test_app_release import APP, release_dir  # noqa: F401

# A fresh process, as a server: the pytest process may have frozen its own objects already.
VIEWS = r"""
import gc, json, os, sys
from streamlit.testing.v1 import AppTest
os.environ["BORDERLENS_RELEASE"] = sys.argv[1]
counts = [gc.get_freeze_count()]
for page in (None, "trends", "notices"):
    at = AppTest.from_file(sys.argv[2], default_timeout=120).run()
    if page:
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    counts.append(gc.get_freeze_count())
print(json.dumps({"frozen": counts, "walked": len(gc.get_objects())}))
"""


def test_the_first_page_view_freezes_the_start_up_objects_and_later_views_do_not(release_dir):
    done = subprocess.run([sys.executable, "-c", VIEWS, release_dir, str(APP)], capture_output=True, text=True,
                          timeout=300, cwd=APP.parent)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    before, first, *later = report["frozen"]
    assert before == 0
    assert first > report["walked"]          # most objects are out of the collector's walk
    assert all(count <= first for count in later), report   # frozen once: later views' objects are collected as before
