"""Policy files: what is refused (one line naming the file and the rule, exit 2) and how `when` conditions
compile to parameterised SQL that DuckDB evaluates as written."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from data_pipeline import policy as policies
from data_pipeline.errors import UserError
from support import REPO, run_cli, write

GOOD_RULE = """
[[rule]]
id = "ok"
dataset = "crossings"
action = "suppress_below"
fields = ["value"]
k = 10
reason = "small counts"
"""


def _policy(tmp_path: Path, body: str) -> Path:
    return write(tmp_path / "policy.toml", GOOD_RULE + body)


def _rule(**keys) -> str:
    return "\n".join(["[[rule]]"] + [f"{k} = {json.dumps(v)}" for k, v in keys.items()]) + "\n"


BAD = {
    "unknown dataset": (_rule(id="r1", dataset="crossing", action="drop", fields=["value"], reason="x"),
                        "unknown dataset 'crossing'"),
    "unknown field": (_rule(id="r2", dataset="infrastructure_projects", action="drop", fields=["funder"],
                            reason="x"), "unknown field 'funder'"),
    "unknown action": (_rule(id="r3", dataset="crossings", action="hide", fields=["value"], reason="x"),
                       "unknown action 'hide'"),
    "bad condition": (_rule(id="r4", dataset="exercise_notices", action="drop", fields=["area_name"],
                            when="distance_to_border_km << 25", reason="x"), "bad condition"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_cli_refuses_a_bad_policy_in_one_line(tmp_path: Path, case: str):
    body, expected = BAD[case]
    path = _policy(tmp_path, body)
    result = run_cli("publish", "--db", tmp_path / "work.duckdb", "--policy", path, "--out", tmp_path / "release",
                     check=False)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert str(path) in line and expected in line, line
    rule_id = body.split('id = "')[1].split('"')[0]
    assert f"'{rule_id}'" in line, line
    assert not (tmp_path / "release").exists()


@pytest.mark.parametrize("body, expected", [
    (_rule(id="r", dataset="exercise_notices", action="drop", fields=["area_name"], when="tanks > 3", reason="x"),
     "unknown column 'tanks'"),
    (_rule(id="r", dataset="exercise_notices", action="drop", fields=["area_name"], when="troops > '3'",
           reason="x"), "troops takes a number"),
    (_rule(id="r", dataset="infrastructure_projects", action="drop", fields=["funders"],
           when="kind = 'a'; drop table crossings", reason="x"), "cannot read ';"),
    (_rule(id="r", dataset="infrastructure_projects", action="drop", fields=["funders"],
           when='"kind" = \'a\'', reason="x"), "bad condition"),
    (_rule(id="r", dataset="infrastructure_projects", action="drop", fields=["funders"], reason=""), "needs a reason"),
    (_rule(id="r", dataset="infrastructure_projects", action="drop", fields=["funders"], wen="kind = 'x'",
           reason="x"), "unknown key(s) wen"),
    (_rule(id="r", dataset="exercise_notices", action="suppress_below", fields=["designation"], k=5, reason="x"),
     "field 'designation' cannot take suppress_below"),
    (_rule(id="r", dataset="crossings", action="coarsen_time", fields=["period_start"], to="month", reason="x"),
     "cannot take coarsen_time"),
    (_rule(id="r", dataset="crossings", action="drop", fields=["location_id"], reason="x"),
     "cannot take drop"),
    (_rule(id="r", dataset="crossings", action="coarsen_location", h3_resolution=5, grid_degrees=0.5, reason="x"),
     "exactly one of h3_resolution or grid_degrees"),
    (_rule(id="r", dataset="crossings", action="suppress_below", fields=["value"], k=0, reason="x"), "k must be"),
    (_rule(id="ok", dataset="crossings", action="round_to", fields=["value"], base=10, reason="x"), "used twice"),
    ("[[rule]\n", "not valid TOML"),
])
def test_load_refuses(tmp_path: Path, body: str, expected: str):
    path = _policy(tmp_path, body)
    with pytest.raises(UserError) as caught:
        policies.load(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message and expected in message, message


def test_missing_policy_file(tmp_path: Path):
    with pytest.raises(UserError, match="policy file not found"):
        policies.load(tmp_path / "nope.toml")


NOTICE_COLUMNS = {"troops": "BIGINT", "kind": "VARCHAR", "start_date": "DATE", "observers_invited": "BOOLEAN",
                  "participating_iso3": "VARCHAR[]", "distance_to_border_km": "DOUBLE"}
ROWS = [  # troops, kind, start_date, observers_invited, participating_iso3, distance_to_border_km
    (13000, "surveillance", "2024-03-01", True, ["FIN", "SWE"], 12.5),
    (9000, "road", "2023-01-01", False, ["EST"], 80.0),
    (None, "it's", "2024-06-01", None, None, None),
]


@pytest.fixture()
def notices():
    con = duckdb.connect()
    con.execute("create table t (troops bigint, kind varchar, start_date date, observers_invited boolean, "
                "participating_iso3 varchar[], distance_to_border_km double)")
    con.executemany("insert into t values (?, ?, ?, ?, ?, ?)", ROWS)
    yield con
    con.close()


@pytest.mark.parametrize("text, matches", [
    ("troops >= 13000", [0, 2]),                      # a missing value cannot be judged: the rule applies
    ("troops is not null and troops >= 13000", [0]),  # ... unless the condition says otherwise
    ("kind = 'surveillance' or distance_to_border_km < 25", [0, 2]),
    ("not (kind = 'surveillance')", [1, 2]),
    ("kind in ('road', 'it''s')", [1, 2]),
    ("kind not in ('road')", [0, 2]),
    ("start_date >= '2024-01-01' and observers_invited = true", [0, 2]),
    ("participating_iso3 = 'SWE'", [0, 2]),
    ("participating_iso3 in ('EST', 'LVA')", [1, 2]),
    ("kind = 'x'' or ''1''=''1'", []),                # quotes stay inside the bound value
    ("distance_to_border_km is null", [2]),
])
def test_conditions_compile_to_bound_sql(notices, text: str, matches: list[int]):
    condition = policies.parse_condition(text, NOTICE_COLUMNS)
    assert "'" not in condition.sql, condition.sql  # no literal reached the SQL text
    rows = notices.execute(f"select row_number() over () - 1, {condition.sql} from t",
                           list(condition.params)).fetchall()
    assert [i for i, hit in rows if hit] == matches


def test_injection_attempt_is_a_value(notices):
    condition = policies.parse_condition("kind = 'a'' or 1=1 --'", NOTICE_COLUMNS)
    assert condition.params == ("a' or 1=1 --",)
    assert condition.sql == 'coalesce(("kind" = ?), true)'


def test_demo_policy_loads_and_reads_as_plain_words():
    policy = policies.load(REPO / "sample_data" / "policy.toml")
    assert {r.action for r in policy.rules} == {"embargo_days", "coarsen_location", "drop", "suppress_below",
                                                "round_to", "coarsen_time"}
    assert all(r.reason for r in policy.rules)
    text = policy.plain_text()
    assert "h3_5" in text and "below 10 suppressed" in text and "distance_to_border_km < 25" in text
