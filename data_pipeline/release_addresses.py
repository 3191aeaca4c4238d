"""Fixed addresses of a served release: /app/static/latest/... and /app/static/<release_id>/... .

Streamlit serves the files under static/ beside the main script at /app/static/..., and refuses any file whose
real path leaves that folder (a symlink to a release folder is not followed). So `borderlens serve` runs the
dashboard from a run folder of its own: app.py and pages/ link to the package's, and static/ holds the package's
static files and the release's files (hard links where the file system allows, else copies) under `latest/` and
under the release id. A feed reader subscribes to /app/static/latest/feed.atom; a citation names
/app/static/<release_id>/... . The release folder is immutable, so the copies never go stale while served.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from data_pipeline.errors import UserError

STATIC = "static"
LATEST = "latest"
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


def build_run_folder(app_dir: Path, release: Path, into: Path) -> Path:
    """Fill `into` as described above; returns the main script to run (into/app.py)."""
    (into / "app.py").symlink_to(app_dir / "app.py")
    (into / "pages").symlink_to(app_dir / "pages", target_is_directory=True)
    if (app_dir / STATIC).is_dir():
        _place_tree(app_dir / STATIC, into / STATIC)
    for name in (LATEST, release_id(release)):
        _place_tree(release, into / STATIC / name)
    return into / "app.py"


@contextmanager
def run_folder(app_dir: Path, release: Path) -> Iterator[Path]:
    """A run folder for one server, removed when the server stops; yields its main script."""
    folder = Path(tempfile.mkdtemp(prefix="borderlens-serve-"))
    try:
        yield build_run_folder(app_dir, release, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
