"""Fixed addresses of a served release: /app/static/latest/... and /app/static/<release_id>/... .

Streamlit serves the files under static/ beside the main script at /app/static/..., and refuses any file whose
real path leaves that folder (a symlink to a release folder is not followed). So `borderlens serve` runs the
dashboard from a run folder of its own: app.py, pages/ and dashboard_ui/ link to the package's, and static/ holds the
package's static files and the release's files (hard links where the file system allows, else copies) under the
release id, with `latest` a link to that folder inside static/ (Streamlit follows a link that stays inside it). A feed reader
subscribes to /app/static/latest/feed.atom; a citation names /app/static/<release_id>/... . The release folder is
immutable, so the copies never go stale; when the served path starts to hold another release (a flipped link, or
a publish into the served folder), LatestFollower places it beside the others and turns `latest` to it in one
rename, so the fixed addresses follow the dashboard without a restart.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from data_pipeline.errors import UserError

STATIC = "static"
LATEST = "latest"
# Where the release folder is served as files, for the Downloads page's larger extracts (views.downloads): the
# variable an operator sets, and the path nginx serves under `borderlens serve --replicas` (serve.py)
FILES_URL_ENV = "BORDERLENS_RELEASE_FILES_URL"
RELEASE_FILES_PATH = "/release-files"
RELEASE_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,127}")   # a folder name, never a path


def release_id(release: Path) -> str:
    """The id in release.json, checked to be a plain folder name (it becomes part of an address)."""
    value = str(json.loads((release / "release.json").read_text(encoding="utf-8")).get("release_id", ""))
    if not RELEASE_ID.fullmatch(value) or value == LATEST:
        raise UserError(f"{release}/release.json has no usable release_id")
    return value


def _place(source: Path, target: Path) -> None:
    """target becomes the same file as source: a hard link (no copy of the bytes), else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _place_tree(source: Path, target: Path) -> None:
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            _place(path, target / relative)


def point_latest_at(static: Path, release: Path) -> str:
    """The release's files under static/<release_id> (placed once, under a temporary name renamed into place),
    then static/latest turned to that folder in one rename, so a request never finds `latest` missing or half
    built; returns the release id."""
    name = release_id(release)
    if not (static / name).is_dir():
        part = static / f".{name}.part"
        shutil.rmtree(part, ignore_errors=True)
        _place_tree(release, part)
        part.mkdir(parents=True, exist_ok=True)
        os.rename(part, static / name)
    link = static / f".{LATEST}.next"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(name, target_is_directory=True)   # relative: the link stays inside static/
    os.replace(link, static / LATEST)
    return name


def build_run_folder(app_dir: Path, release: Path, into: Path) -> Path:
    """Fill `into` as described above; returns the main script to run (into/app.py)."""
    (into / "app.py").symlink_to(app_dir / "app.py")
    (into / "pages").symlink_to(app_dir / "pages", target_is_directory=True)
    (into / "dashboard_ui").symlink_to(app_dir / "dashboard_ui", target_is_directory=True)   # what the pages import
    if (app_dir / STATIC).is_dir():
        _place_tree(app_dir / STATIC, into / STATIC)
    (into / STATIC).mkdir(exist_ok=True)
    point_latest_at(into / STATIC, release)
    return into / "app.py"


class LatestFollower(threading.Thread):
    """Checks every `every` seconds which release the served path holds now (it may be a link that an operator
    flips, or a folder published into) and turns static/latest to it. A path that holds no whole release for
    the moment (mid-publish) is skipped until the next check: `latest` keeps the last whole one."""

    def __init__(self, static: Path, release: Path, every: float = 2.0):
        super().__init__(name="borderlens-latest", daemon=True)
        self.static, self.release, self.every = static, release, every
        self.stopped = threading.Event()
        self.current = ""

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            try:
                if not (self.release / "borderlens.duckdb").is_file():
                    continue
                if release_id(self.release) != self.current:
                    self.current = point_latest_at(self.static, self.release)
            except (UserError, OSError, ValueError):   # mid-swap: try again at the next check
                continue


@contextmanager
def run_folder(app_dir: Path, release: Path) -> Iterator[Path]:
    """A run folder for one server, removed when the server stops; yields its main script. While it lives,
    static/latest follows the release that `release` (as given, not resolved) holds."""
    folder = Path(tempfile.mkdtemp(prefix="borderlens-serve-"))
    follower = LatestFollower(folder / STATIC, release)
    try:
        main_script = build_run_folder(app_dir, release, folder)
        follower.current = release_id(release)
        follower.start()
        yield main_script
    finally:
        follower.stopped.set()
        if follower.is_alive():
            follower.join()
        shutil.rmtree(folder, ignore_errors=True)
