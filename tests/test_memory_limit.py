"""BORDERLENS_MEMORY_LIMIT: a cap on DuckDB's memory for an ingest or a publish, set through a parameter (never
text formatted into SQL), refused in one line when it is not a size, and the connection's own limit given back."""

from __future__ import annotations

import duckdb
import pytest

from data_pipeline.db import memory_limit
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
