"""docs/screenshots.py renews the README's screenshots from a real release in Chromium: run here on the test
release for the embed (an 800 x 520 iframe in a page) and with a bad view name."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
from PIL import Image

from support import REPO


def test_the_embed_screenshot_is_the_iframe_as_a_reader_sees_it(browser, browser_release, tmp_path):
    done = subprocess.run([sys.executable, "docs/screenshots.py", "--release", browser_release, "--out", tmp_path,
                           "--only", "embed-map"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    image = Image.open(tmp_path / "embed-map.png").convert("RGB")
    assert image.size == (840, 560)
    assert np.asarray(image).std() > 20   # a drawn map and text, not a blank frame


def test_an_unknown_view_is_one_line_and_exit_2(tmp_path):
    done = subprocess.run([sys.executable, "docs/screenshots.py", "--out", tmp_path, "--only", "nope"], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "nope" in done.stderr
