"""A truncated or corrupted release: every page shows one maintenance message, never a traceback or a path.

Each case copies the real test release (tests/test_app_release.py) and breaks the copy as a failing disk, a
half-finished copy or a hand edit would; the server's log (stderr) is told once.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from test_app_release import app_env, new_app, release_dir  # noqa: F401 (fixtures)

PAGES = [None, "map", "trends", "ranking", "breakdown", "notices", "infrastructure", "transparency", "about", "downloads", "revisions"]
MESSAGE = "This release cannot be read: "


def _truncate_database(folder: Path, part: int = 2) -> str:
    db = folder / "borderlens.duckdb"
    with open(db, "r+b") as handle:
        handle.truncate(db.stat().st_size // part)
    return "truncated: borderlens.duckdb"


def _garbage_manifest(folder: Path) -> str:
    (folder / "release.json").write_bytes(b"\x00\xff{not json")
    return "unreadable: release.json"


def _missing_extract(folder: Path) -> str:
    (folder / "extracts" / "crossings.parquet").unlink()
    return "missing file: extracts/crossings.parquet"


def _altered_extract(folder: Path) -> str:  # same size, one byte flipped: only the SHA-256 can tell
    path = folder / "extracts" / "exercise_notices.csv"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    return "altered: extracts/exercise_notices.csv"


FAULTS = {"truncated-db": _truncate_database, "garbage-release-json": _garbage_manifest,
          "missing-extract": _missing_extract, "altered-extract": _altered_extract}


@pytest.fixture(scope="module", params=list(FAULTS))
def broken(request, release_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param) / "release"
    shutil.copytree(release_dir, folder)
    return folder, FAULTS[request.param](folder)


def _assert_maintenance(at, problem: str, folder: Path) -> None:
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith(MESSAGE), errors
    text = errors[0].replace("\\", "").replace("\u2060", "")  # markdown-escaped, word joiners stop autolinks
    assert problem in text and "operator has been told" in text, text
    assert str(folder) not in text and "Traceback" not in text
    assert not at.dataframe and not at.get("deck_gl_json_chart") and not at.get("vega_lite_chart")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p or "overview")
def test_every_page_shows_the_maintenance_message(app_env, monkeypatch, broken, page):
    folder, problem = broken
    monkeypatch.setenv("BORDERLENS_RELEASE", str(folder))
    at = new_app().run()
    _assert_maintenance(at, problem, folder)
    if page:
        at.switch_page(f"pages/{page}.py").run()
        _assert_maintenance(at, problem, folder)


def test_a_release_broken_while_a_visitor_is_on_it(app_env, monkeypatch, release_dir, tmp_path, capfd):
    folder = tmp_path / "release"
    shutil.copytree(release_dir, folder)
    monkeypatch.setenv("BORDERLENS_RELEASE", str(folder))
    at = new_app().run()
    at.switch_page("pages/trends.py").run()
    assert not at.exception and not at.error and at.get("vega_lite_chart")
    problem = _truncate_database(folder, 3)  # not the size of the other cases: the log line is new
    at.run()  # the visitor's next interaction
    _assert_maintenance(at, problem, folder)
    at.switch_page("pages/map.py").run()
    _assert_maintenance(at, problem, folder)
    log = capfd.readouterr().err
    size = (folder / "borderlens.duckdb").stat().st_size
    assert log.count(f"borderlens: the release cannot be read: truncated: borderlens.duckdb ({size:,} of") == 1, log


def test_a_release_published_before_digests_is_still_served(app_env, monkeypatch, release_dir, tmp_path):
    folder = tmp_path / "release"
    shutil.copytree(release_dir, folder)
    (folder / "digests.json").unlink()
    monkeypatch.setenv("BORDERLENS_RELEASE", str(folder))
    at = new_app().run()
    assert not at.exception and not at.error


def test_a_release_before_digests_with_a_damaged_database(app_env, monkeypatch, release_dir, tmp_path):
    folder = tmp_path / "release"
    shutil.copytree(release_dir, folder)
    (folder / "digests.json").unlink()  # nothing to check the files against: the database is opened
    db = folder / "borderlens.duckdb"
    data = bytearray(db.read_bytes())
    data[:8192] = bytes(8192)  # its header gone
    db.write_bytes(bytes(data))
    monkeypatch.setenv("BORDERLENS_RELEASE", str(folder))
    at = new_app().run()
    _assert_maintenance(at, "unreadable: borderlens.duckdb (IOException)", folder)
