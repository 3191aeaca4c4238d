"""BORDERLENS_MEMORY_LIMIT: a cap on DuckDB's memory for an ingest or a publish, set through a parameter (never
text formatted into SQL), refused in one line when it is not a size, and the connection's own limit given back."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from data_pipeline.db import memory_limit
from data_pipeline.export import extracts
from data_pipeline.errors import UserError
from support import REPO, run_cli


def _limit(con) -> str:
    return con.execute("select current_setting('memory_limit')").fetchall()[0][0]


def test_the_limit_holds_inside_and_the_previous_one_comes_back(monkeypatch):
    con = duckdb.connect()     # DuckDB's default limit, as on the connections ingest and publish open
    before = _limit(con)
    monkeypatch.setenv("BORDERLENS_MEMORY_LIMIT", "700MB")
    with memory_limit(con):
        assert _limit(con) == "667.5 MiB"     # 700 MB in DuckDB's own words
    assert _limit(con) == before


@pytest.mark.parametrize("text", ["lots", "1GB'; drop table sources; --", "12"])
def test_a_limit_that_is_not_a_size_is_refused_before_any_sql(monkeypatch, text):
    con = duckdb.connect()
    before = _limit(con)
    monkeypatch.setenv("BORDERLENS_MEMORY_LIMIT", text)
    with pytest.raises(UserError, match="not a size like 1500MB"), memory_limit(con):
        pass
    assert _limit(con) == before


def test_the_cli_says_what_is_wrong_in_one_line_and_exits_2(tmp_path):
    result = run_cli("ingest", REPO / "sample_data" / "notices", "--db", tmp_path / "work.duckdb", "--no-progress",
                     check=False, env={"BORDERLENS_MEMORY_LIMIT": "lots"})
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "BORDERLENS_MEMORY_LIMIT" in result.stderr


def test_the_extracts_connection_is_limited_too(tmp_path, monkeypatch, release_secret_inputs):
    """The extracts are written through a connection of their own to the release's database (the 10M publish's
    largest step: 4.5 GB with a 3 GB limit asked for, when only the redaction's connection had it): the limit is
    read there too, so a bad one stops it before any extract is written. Control: with a size, it writes them."""
    folder = tmp_path / "release"
    shutil.copytree(release_secret_inputs.release, folder)
    shutil.rmtree(folder / "extracts")
    (folder / "extracts").mkdir()
    monkeypatch.setenv("BORDERLENS_MEMORY_LIMIT", "lots")
    with pytest.raises(UserError, match="BORDERLENS_MEMORY_LIMIT"):
        extracts.write_release_extracts(folder, {})
    assert not any((folder / "extracts").iterdir())
    monkeypatch.setenv("BORDERLENS_MEMORY_LIMIT", "700MB")
    info = json.loads((folder / "release.json").read_text(encoding="utf-8"))
    extracts.write_release_extracts(folder, {**info, "policy_name": info["policy"]["name"]})
    assert (folder / "extracts" / "crossings.csv").stat().st_size > 0
