"""Policy files: what is refused (one line naming the file and the rule, exit 2) and how `when` conditions
compile to parameterised SQL that DuckDB evaluates as written."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from data_pipeline.publish import policy as policies
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


# ---------------------------------------------------------------------------------------------- bounds
# Parameters and conditions outside their bounds are refused by the real CLI in one line (exit 2), before
# anything is written: never a traceback, never a release with values the policy cannot stand for.

PUBLISH_ENV = {"BORDERLENS_PUBLISH_DATE": "2025-06-30"}
FIXTURES = REPO / "tests" / "fixtures"


@pytest.fixture(scope="module")
def work_db(tmp_path_factory) -> Path:
    """A small working database (one file per dataset, ingested with the real CLI): a refused policy must be
    refused although publishing could otherwise go ahead."""
    db = tmp_path_factory.mktemp("policy_work") / "work.duckdb"
    run_cli("ingest", FIXTURES / "notices_template.csv", FIXTURES / "projects_template.csv",
            FIXTURES / "bts_2025_layout.csv", "--db", db)
    return db


def _toml_rule(rule_id: str, dataset: str, action: str, *lines: str) -> str:
    """A rule with parameters written as raw TOML (inf, nan and huge integers have no JSON spelling)."""
    return "\n".join(["[[rule]]", f'id = "{rule_id}"', f'dataset = "{dataset}"', f'action = "{action}"',
                      *lines, 'reason = "x"']) + "\n"


def _nested(depth: int, inner: str = "troops > 1") -> str:
    return "(" * depth + inner + ")" * depth


def _when(rule_id: str, condition: str, dataset: str = "exercise_notices", field: str = "area_name") -> str:
    return _toml_rule(rule_id, dataset, "drop", f'fields = ["{field}"]', f"when = {json.dumps(condition)}")


def _assert_refused(tmp_path: Path, work_db: Path, policy: Path, expected: str, *named: str):
    out = tmp_path / "release"
    result = run_cli("publish", "--db", work_db, "--policy", policy, "--out", out, check=False, env=PUBLISH_ENV)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "Error:" not in result.stderr, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("borderlens: ") and expected in line, line
    for text in named:
        assert text in line, (text, line)
    assert not out.exists(), "a refused policy must not create the release folder"
    assert not list(tmp_path.glob(".release.publish-*")), "no half-built release may stay behind"
    return line


BOUNDS = {
    # F1: suppress_below k
    "k-beyond-int64": (_toml_rule("k-huge", "crossings", "suppress_below", 'fields = ["value"]',
                                  "k = 99999999999999999999"), "k must be a whole number from 1 to 1_000_000_000"),
    "k-int64-max": (_toml_rule("k-max", "crossings", "suppress_below", 'fields = ["value"]',
                               "k = 9223372036854775807"), "k must be a whole number from 1 to 1_000_000_000"),
    "k-just-above": (_toml_rule("k-above", "crossings", "suppress_below", 'fields = ["value"]',
                                "k = 1_000_000_001"), "k must be"),
    # F2: embargo_days days
    "days-big": (_toml_rule("days-big", "exercise_notices", "embargo_days", "days = 9999999999"),
                 "days must be a whole number from 0 to 36_500"),
    "days-huge": (_toml_rule("days-huge", "exercise_notices", "embargo_days", "days = 99999999999999999999"),
                  "days must be a whole number from 0 to 36_500"),
    "days-just-above": (_toml_rule("days-above", "exercise_notices", "embargo_days", "days = 36501"),
                        "days must be"),
    # F3: numbers in conditions
    "when-int-beyond-bigint": (_when("big-troops", "troops > 99999999999999999999"), "out of range for troops"),
    "when-int-beyond-128-bit": (_when("int128", "troops > 99999999999999999999999999999999999999999"),
                                "out of range for troops"),
    "when-list-beyond-bigint": (_when("big-list", "troops in (1, 99999999999999999999)"),
                                "out of range for troops"),
    "when-inf-double": (_when("inf-budget", "budget > 1e999", "infrastructure_projects", "funders"),
                        "out of range for budget (not a finite number)"),
    "when-int-beyond-double": (_when("huge-budget", "budget > 1" + "0" * 400, "infrastructure_projects", "funders"),
                               "out of range for budget (not a finite number)"),
    # F4: deep or long conditions
    "when-5000-parentheses": (_when("deep5000", _nested(5000)), "characters long (at most 2000)"),
    "when-51-parentheses": (_when("deep51", _nested(51)), "nested more than 50 deep"),
    "when-51-nots": (_when("nots51", "not " * 51 + "troops > 1"), "nested more than 50 deep"),
    "when-too-long": (_when("long", " or ".join(["troops > 1"] * 150)), "characters long (at most 2000)"),
    # F5: round_to base and coarsen_location grid_degrees
    "base-inf": (_toml_rule("base-inf", "infrastructure_projects", "round_to", 'fields = ["budget"]', "base = inf"),
                 "base must be a number from 1e-06 to 1e+12, not inf"),
    "base-nan": (_toml_rule("base-nan", "infrastructure_projects", "round_to", 'fields = ["budget"]', "base = nan"),
                 "base must be a number from 1e-06 to 1e+12"),
    "base-tiny": (_toml_rule("base-tiny", "infrastructure_projects", "round_to", 'fields = ["budget"]',
                             "base = 1e-300"), "base must be a number from 1e-06 to 1e+12, not 1e-300"),
    "base-huge": (_toml_rule("base-huge", "infrastructure_projects", "round_to", 'fields = ["budget"]',
                             "base = 99999999999999999999"), "base must be a number from 1e-06 to 1e+12"),
    "base-fraction-on-whole-numbers": (_toml_rule("troops-half", "exercise_notices", "round_to",
                                                  'fields = ["troops"]', "base = 0.5"),
                                       "base must be a whole number for troops"),
    "grid-tiny": (_toml_rule("grid-tiny", "exercise_notices", "coarsen_location", "grid_degrees = 1e-300"),
                  "grid_degrees must be from 0.01 to 90 degrees, not 1e-300"),
    "grid-below-0.01": (_toml_rule("grid-fine", "exercise_notices", "coarsen_location", "grid_degrees = 0.005"),
                        "grid_degrees must be from 0.01 to 90 degrees"),
    "grid-inf": (_toml_rule("grid-inf", "exercise_notices", "coarsen_location", "grid_degrees = inf"),
                 "grid_degrees must be from 0.01 to 90 degrees"),
    # F10: a condition that is not a text
    "when-number": (_toml_rule("when-num", "infrastructure_projects", "drop", 'fields = ["funders"]', "when = 5"),
                    'when must be a text in quotes, like when = "troops >= 13000", not 5'),
    "when-list": (_toml_rule("when-list", "infrastructure_projects", "drop", 'fields = ["funders"]',
                             "when = ['kind = 1']"), "when must be a text in quotes"),
    # F11: fields must be a list, each field once
    "fields-text": (_toml_rule("fields-text", "infrastructure_projects", "drop", 'fields = "funders"'),
                    'fields must be a list of column names, like fields = ["funders"]'),
    "fields-twice": (_toml_rule("fields-twice", "exercise_notices", "drop", 'fields = ["area_name", "area_name"]'),
                     "field 'area_name' is named twice"),
}


@pytest.mark.parametrize("case", sorted(BOUNDS))
def test_cli_refuses_out_of_bounds_policy_in_one_line(tmp_path: Path, work_db: Path, case: str):
    body, expected = BOUNDS[case]
    path = write(tmp_path / "policy.toml", '[policy]\nname = "bounds"\n\n' + body)
    rule_id = body.split('id = "')[1].split('"')[0]
    line = _assert_refused(tmp_path, work_db, path, expected, str(path), f"rule #1 '{rule_id}'")
    assert len(line) < 400, line  # a 10,000-character condition is not echoed back whole


@pytest.mark.parametrize("head, expected", [
    ('[policy]\nname = 5\n', "[policy] name must be a text in quotes, not 5"),
    ('[policy]\nname = "p"\ndescription = ["a"]\n', "[policy] description must be a text in quotes"),
])
def test_cli_refuses_policy_head_that_is_not_text(tmp_path: Path, work_db: Path, head: str, expected: str):
    path = write(tmp_path / "policy.toml", head + GOOD_RULE)
    _assert_refused(tmp_path, work_db, path, expected, str(path))


def test_cli_says_a_folder_is_not_a_policy_file(tmp_path: Path, work_db: Path):
    folder = tmp_path / "policies"
    folder.mkdir()
    line = _assert_refused(tmp_path, work_db, folder, "is a folder, not a policy file", str(folder))
    assert "not found" not in line


@pytest.mark.parametrize("update, body, expected", [
    # a finite value that rounding to a tiny base would turn into infinity
    ("update infrastructure_projects set budget = 1e303 where budget is not null",
     _toml_rule("tiny", "infrastructure_projects", "round_to", 'fields = ["budget"]', "base = 1e-6"),
     "rounding budget to the nearest 1e-06 gives values that are not finite numbers"),
    # a whole number that rounding would push beyond what the column holds
    ("update exercise_notices set troops = 9223372036854775807 where troops is not null",
     _toml_rule("troops", "exercise_notices", "round_to", 'fields = ["troops"]', "base = 1"),
     "rounding troops to the nearest 1 gives a value out of range"),
])
def test_rounding_that_would_not_give_finite_values_publishes_nothing(tmp_path: Path, work_db: Path, update: str,
                                                                      body: str, expected: str):
    db = tmp_path / "work.duckdb"
    db.write_bytes(work_db.read_bytes())
    con = duckdb.connect(str(db))
    try:
        con.execute(update)
    finally:
        con.close()
    path = write(tmp_path / "policy.toml", body)
    rule_id = body.split('id = "')[1].split('"')[0]
    _assert_refused(tmp_path, db, path, expected, str(path), f"rule #1 '{rule_id}'")


def test_huge_number_on_a_double_column_is_bound_as_a_double(tmp_path: Path, work_db: Path):
    """`budget > 1e41` written out in digits: too large for DuckDB's integers, fine for a DOUBLE column."""
    path = write(tmp_path / "policy.toml", _when("huge", "budget > 99999999999999999999999999999999999999999",
                                                  "infrastructure_projects", "funders"))
    condition = policies.load(path).rules[0].when
    assert condition.params == (1e41,) and isinstance(condition.params[0], float)
    result = run_cli("publish", "--db", work_db, "--policy", path, "--out", tmp_path / "release", check=False,
                     env=PUBLISH_ENV)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert (tmp_path / "release" / "release.json").is_file()


def test_bounds_themselves_are_accepted(tmp_path: Path):
    body = "".join([
        _toml_rule("k", "crossings", "suppress_below", 'fields = ["value"]', "k = 1_000_000_000"),
        _toml_rule("days", "exercise_notices", "embargo_days", "days = 36_500"),
        _toml_rule("days0", "infrastructure_projects", "embargo_days", "days = 0"),
        _toml_rule("base-low", "infrastructure_projects", "round_to", 'fields = ["budget"]', "base = 1e-6"),
        _toml_rule("base-high", "infrastructure_projects", "round_to", 'fields = ["budget"]', "base = 1e12"),
        _toml_rule("base-whole", "exercise_notices", "round_to", 'fields = ["troops"]', "base = 100.0"),
        _toml_rule("grid-low", "exercise_notices", "coarsen_location", "grid_degrees = 0.01"),
        _toml_rule("grid-high", "infrastructure_projects", "coarsen_location", "grid_degrees = 90"),
        _when("deep50", _nested(50)),
        _when("nots50", "not " * 50 + "troops > 1"),
        _when("long2000", ("troops > 1" + " or troops > 1" * 142).replace("> 1", ">= 1", 2)),
        _when("big-whole", "troops < 9223372036854775807 and troops > -9223372036854775808"),
    ])
    policy = policies.load(write(tmp_path / "policy.toml", body))
    assert len(policy.rules) == 12
    assert len(policy.rules[10].when.text) == policies.WHEN_MAX_CHARS


def test_parse_condition_never_lets_a_recursion_error_out():
    for text in (_nested(1900), "not " * 490 + "troops > 1", "(" * 1999):
        with pytest.raises(ValueError):
            policies.parse_condition(text, NOTICE_COLUMNS)
    with pytest.raises(ValueError, match="must be a text"):
        policies.parse_condition(5, NOTICE_COLUMNS)


def _policy_texts_in_tests() -> list[tuple[str, str]]:
    """Every policy written out in the test modules (f-string placeholders filled with 1) and in docs/policy.md."""
    import ast
    import re

    found = []
    for module in sorted((REPO / "tests").rglob("*.py")):
        if module.name == "test_policy.py":  # its refused policies are meant to be refused
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"))
        pieces = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in pieces:
                text = node.value
            elif isinstance(node, ast.JoinedStr):
                text = "".join(v.value if isinstance(v, ast.Constant) else "1" for v in node.values)
            else:
                continue
            if "[[rule]]" in text and 'dataset = "nowhere"' not in text:  # test_release's refused fragment
                found.append((f"{module.relative_to(REPO)}:{node.lineno}", text))
    docs = (REPO / "docs" / "policy.md").read_text(encoding="utf-8")
    found += [(f"docs/policy.md block {i}", block) for i, block in
              enumerate(re.findall(r"```toml\n(.*?)```", docs, re.S))]
    found.append(("tests/test_policy.py GOOD_RULE", GOOD_RULE))
    return found


def test_demo_policy_and_every_policy_in_tests_and_docs_still_validate(tmp_path: Path):
    policies.load(REPO / "sample_data" / "policy.toml")
    texts = _policy_texts_in_tests()
    assert len(texts) >= 6, texts  # conftest, test_release, test_app_notices, test_feed, hostile, docs, ...
    for where, text in texts:
        try:
            policies.load(write(tmp_path / "policy.toml", text))
        except UserError as exc:
            raise AssertionError(f"{where}: {exc}") from None


def test_a_policy_names_the_canonical_datasets(tmp_path: Path):
    """The datasets a rule may name are the canonical list (data_pipeline.datasets), said in the error."""
    from data_pipeline.datasets import DATASET_NAMES

    policy = write(tmp_path / "bad_dataset_policy.toml",
                   '[policy]\nname = "x"\n[[rule]]\nid = "r"\ndataset = "ports"\naction = "drop"\n'
                   'fields = ["x"]\nreason = "r"\n')
    result = run_cli("publish", "--db", tmp_path / "none.duckdb", "--policy", policy, "--out", tmp_path / "out",
                     check=False)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert f"unknown dataset 'ports' ({', '.join(DATASET_NAMES)})" in result.stderr


@pytest.mark.parametrize("field", ["dimensions", "place_kind", "country_iso3"])
def test_a_policy_cannot_drop_the_cube_key(tmp_path: Path, field: str):
    """A dropped breakdown or place kind would merge distinct cells in the public table; country_iso3 was
    protected by NOT NULL before schema 7 and stays protected."""
    policy = write(tmp_path / "policy.toml", "\n".join([
        "[[rule]]", 'id = "r"', 'dataset = "crossings"', 'action = "drop"', f'fields = ["{field}"]',
        'reason = "x"', ""]))
    with pytest.raises(UserError) as caught:
        policies.load(policy)
    assert "cannot take drop" in str(caught.value) and field in str(caught.value)
