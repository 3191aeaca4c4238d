"""A release says its format (release.json, release_info), and only that format is served: a release published by
an older borderlens lacks columns the pages read (before this, the notices page of a release made before the
date precisions stopped with a DuckDB binder error). The dashboard and `borderlens serve` refuse it in one line
that says how to publish it again. The format number must change whenever the release's tables do: the golden
file keeps each format's tables and columns. Real CLI, real DuckDB release (the app tests' shared one), AppTest."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from data_pipeline.publish.release_format import FORMAT_KEY, RELEASE_FORMAT
from data_pipeline.publish.verify import release_problems, write_digests
from support import REPO, one_line_error, query, run_cli
from test_app_release import app_env, new_app, release_dir  # noqa: F401 (fixtures)

GOLDEN = REPO / "tests" / "golden" / "release_formats.json"
COLUMNS = ("select table_name || '.' || column_name || ' ' || data_type from information_schema.columns "
           "where table_schema = 'main' order by table_name, column_name")


def _columns(release: str) -> list[str]:
    con = duckdb.connect(str(Path(release) / "borderlens.duckdb"), read_only=True)
    try:
        return [row[0] for row in con.execute(COLUMNS).fetchall()]
    finally:
        con.close()


def _with_format(release: str, folder: Path, value) -> Path:
    """A copy of the release whose release.json says another format (or none), with its digests made again, so
    that it is whole and only its format differs: as a release published by another borderlens would be."""
    shutil.copytree(release, folder)
    manifest = folder / "release.json"
    info = json.loads(manifest.read_text(encoding="utf-8"))
    if value is None:
        del info[FORMAT_KEY]
    else:
        info[FORMAT_KEY] = value
    manifest.write_text(json.dumps(info, indent=2), encoding="utf-8")
    write_digests(folder, info["release_id"])
    assert release_problems(folder) == []
    return folder


def test_the_release_states_its_format(release_dir):
    info = json.loads((Path(release_dir) / "release.json").read_text(encoding="utf-8"))
    assert info[FORMAT_KEY] == RELEASE_FORMAT
    stored = query(f"{release_dir}/borderlens.duckdb", "select value from release_info where key = ?", [FORMAT_KEY])
    assert stored == [(str(RELEASE_FORMAT),)]


def test_the_format_number_changes_when_the_release_tables_do(release_dir):
    formats = json.loads(GOLDEN.read_text(encoding="utf-8"))
    found = _columns(release_dir)
    assert {"crossings.dimensions MAP(VARCHAR, VARCHAR)", "exercise_notices.start_date_precision VARCHAR"} <= set(found)
    assert found == formats.get(str(RELEASE_FORMAT)), (
        "the release's tables or columns changed: raise RELEASE_FORMAT in data_pipeline/publish/release_format.py "
        "and record the new columns under its number in tests/golden/release_formats.json")
    layouts = [tuple(columns) for columns in formats.values()]
    assert len(set(layouts)) == len(layouts), "two format numbers with the same tables"


@pytest.mark.parametrize("value, words", [(None, "an unnumbered format"), (RELEASE_FORMAT - 1, "older borderlens"),
                                          (RELEASE_FORMAT + 1, "newer than this borderlens")])
def test_the_dashboard_refuses_another_format_in_one_line(app_env, release_dir, tmp_path, monkeypatch,  # noqa: F811
                                                          value, words):
    other = _with_format(release_dir, tmp_path / "other", value)
    monkeypatch.setenv("BORDERLENS_RELEASE", str(other))
    at = new_app().run()  # the entry script stops before any page runs (the notices page crashed on such a one)
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and words in errors[0] and "\n" not in errors[0].strip(), errors


def test_serve_refuses_an_older_release_in_one_line(release_dir, tmp_path):  # noqa: F811
    old = _with_format(release_dir, tmp_path / "old", RELEASE_FORMAT - 1)
    line = one_line_error(run_cli("serve", "--release", old, "--port", "8599", check=False))
    assert line.startswith("borderlens: ") and "publish it again with `borderlens publish`" in line
