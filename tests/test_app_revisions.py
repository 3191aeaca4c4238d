"""Revisions page: the release's public revisions table, old value beside new, filterable by dataset."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from data_pipeline.publish.verify import write_digests
from test_app_release import app_env, no_exception, open_page, release_dir, warnings_text  # noqa: F401


@pytest.fixture(scope="module")
def revised_release(release_dir, tmp_path_factory):
    """A copy of the test release with two revisions in its public table (the demo inputs revise nothing)."""
    copy = tmp_path_factory.mktemp("revised") / "release"
    shutil.copytree(release_dir, copy)
    con = duckdb.connect(str(copy / "borderlens.duckdb"))
    con.execute("insert into revisions values "
                "('crossings', 'USA-0209|2024-01|trucks|inbound', 'value', '1200', '1350', 'reported', 'reported',"
                " 's1', 's2', 1, 2),"
                "('infrastructure_projects', 'P-1', 'status', 'planned', 'under_construction', 'reported',"
                " 'reported', 's3', 's4', 1, 2)")
    con.close()
    write_digests(copy, json.loads((copy / "release.json").read_text())["release_id"])  # as publish ends
    return str(copy)


def test_revisions_page_runs_and_offers_the_feed(app_env):
    at = open_page("revisions")
    no_exception(at)
    assert at.title[0].value == "Revisions"
    assert "feed.atom" in [b.proto.label for b in at.get("download_button")]
    assert at.query_params["dataset"] == "all"


def test_old_value_beside_new_and_filter_by_dataset(app_env, revised_release, monkeypatch):
    monkeypatch.setenv("BORDERLENS_RELEASE", revised_release)
    at = open_page("revisions")
    no_exception(at)
    table = at.dataframe[0].value
    assert len(table) == 2
    columns = list(table.columns)
    assert columns.index("new_value") == columns.index("old_value") + 1
    at.selectbox(key="revisions_dataset").set_value("crossings").run()
    no_exception(at)
    assert at.query_params["dataset"] == "crossings"
    table = at.dataframe[0].value
    assert list(table["old_value"]) == ["1200"] and list(table["new_value"]) == ["1350"]


def test_bad_dataset_falls_back_with_a_warning(app_env):
    at = open_page("revisions", {"dataset": "<b>nope</b>"})
    no_exception(at)
    assert "dataset" in warnings_text(at)
    assert at.query_params["dataset"] == "all"
