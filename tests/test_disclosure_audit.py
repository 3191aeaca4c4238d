"""The suppression audit, attacked from outside: on real releases built by the CLI, an attacker who knows every
margin total (docs/policy.md) and the published cells solves linear programs of their own (scipy, written here,
not the audit's code: tests/attacker.py) for each suppressed small count; no count may come out narrower than
+-p % (p = 20), nor across two releases. A release that cannot be protected is refused in one line."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from attacker import (K, KEY, MARGINS, P, WIDER_MARGINS, _cells, _component_intervals, _intervals,
                      _narrow, _truth)
from support import query, run_cli, write
from test_app_release import release_dir  # noqa: F401

HEADER = "Port Name,State,Port Code,Border,Date,Measure,Value,Latitude,Longitude\n"
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MEASURES = ["Trucks", "Buses", "Pedestrians", "Personal Vehicles", "Trains", "Truck Containers Loaded"]


def _policy(folder, embargo: bool = False) -> str:
    text = f"""
[policy]
name = "audit test policy"

[[rule]]
id = "crossings-small"
dataset = "crossings"
action = "suppress_below"
fields = ["value"]
k = {K}
keep_zeros = true
p = {P}
reason = "small counts single people out"
"""
    if embargo:
        text += """
[[rule]]
id = "crossings-recent"
dataset = "crossings"
action = "embargo_days"
days = 90
reason = "recent months wait"
"""
    return str(write(folder / "policy.toml", text))


def _generated(folder, ports: int = 30, seed: int = 15) -> str:
    """A BTS-layout file of ports x 12 months x 6 measures (2,160 cells), about one count in ten below k."""
    rng = random.Random(seed)
    lines = []
    for p in range(ports):
        code = f"{3100 + p:04d}"
        lat, lon = 45.0 + p * 0.01, -72.0 - p * 0.2
        for month in MONTHS:
            for measure in MEASURES:
                value = rng.randint(0, K - 1) if rng.random() < 0.1 else rng.randint(K, 400)
                lines.append(f"Port {code},Vermont,{code},US-Canada Border,{month} 2024,{measure},{value},{lat},{lon}\n")
    return str(write(folder / "generated.csv", HEADER + "".join(lines)))


@pytest.fixture(scope="module")
def generated_release(tmp_path_factory):
    folder = tmp_path_factory.mktemp("audit")
    db, release = folder / "work.duckdb", folder / "release"
    run_cli("ingest", _generated(folder), "--db", db)
    result = run_cli("publish", "--db", db, "--policy", _policy(folder), "--out", release, "--json",
                     env={"BORDERLENS_PUBLISH_DATE": "2025-06-30"})
    return db, release, json.loads(result.stdout)


def test_an_lp_attack_over_every_margin_recovers_no_small_count(generated_release):
    db, release, result = generated_release
    truth, unknown = _truth(db, release / "borderlens.duckdb")
    assert len(truth) == 2160 and truth["true_value"].between(1, K - 1).sum() > 150
    assert _narrow(truth, _intervals(truth, unknown)) == []
    figures = result["notes"]["suppression_audit"]
    small = truth["true_value"].between(1, K - 1)  # zeros are published (keep_zeros)
    assert figures["cells"] == 2160 and figures["primaries"] == int(small.sum())
    assert figures["secondaries"] == int(unknown.sum()) - figures["primaries"]
    assert figures["narrowest_interval_share"] >= 2 * P / 100 and figures["unprotectable"] == 0


def test_the_same_attack_narrows_counts_protected_only_by_the_group_rule(generated_release):
    """Control: the pattern of the group rule alone (each group two unknowns or none, the suppression before the
    audit) leaves small counts that the attacker's linear programs pin or narrow."""
    from data_pipeline.publish.suppression import secondary_cells

    db, release, _ = generated_release
    truth, _ = _truth(db, release / "borderlens.duckdb")
    value = truth["true_value"].to_numpy(float)
    primary = (value > 0) & (value < K)  # zeros are published (keep_zeros)
    groups = [truth.groupby(columns, dropna=False).ngroup().to_numpy() for columns in MARGINS.values()]
    chosen, _ = secondary_cells(np.where(primary, np.nan, value), primary, np.zeros(len(value), bool),
                                ~primary, groups)
    hidden = primary.copy()
    hidden[chosen] = True
    assert _narrow(truth, _intervals(truth, pd.Series(hidden))), "the attack is too weak to show anything"


def test_publish_json_and_the_release_hold_the_figures_never_a_value(generated_release):
    _, release, result = generated_release
    figures = result["notes"]["suppression_audit"]
    stored = json.loads((release / "redactions.json").read_text())["suppression_audit"]
    assert stored["cells"] == figures["cells"] and stored["passed"] is True
    assert stored["narrowest_interval_share_at_least"] == 2 * P / 100
    assert "narrowest_interval_share" not in stored  # with the totals, the exact figure would give a count back
    info = dict(query(release / "borderlens.duckdb", "select key, value from release_info"))
    assert json.loads(info["suppression_audit"]) == stored


def test_two_releases_together_recover_no_small_count(tmp_path):
    """Release 1 holds January to about September (embargo), release 2 the whole year: an attacker with both
    releases and all the totals of both recovers nothing, and no count release 1 suppressed is published."""
    db = tmp_path / "work.duckdb"
    run_cli("ingest", _generated(tmp_path, ports=12, seed=4), "--db", db)
    policy = _policy(tmp_path, embargo=True)
    first, second, fresh = tmp_path / "r1", tmp_path / "r2", tmp_path / "r2-alone"
    run_cli("publish", "--db", db, "--policy", policy, "--out", first, env={"BORDERLENS_PUBLISH_DATE": "2025-01-05"})
    run_cli("publish", "--db", db, "--policy", policy, "--out", second, "--previous", first,
            env={"BORDERLENS_PUBLISH_DATE": "2025-06-30"})
    run_cli("publish", "--db", db, "--policy", policy, "--out", fresh, env={"BORDERLENS_PUBLISH_DATE": "2025-06-30"})
    one, two, alone = (_cells(r / "borderlens.duckdb") for r in (first, second, fresh))
    assert 0 < len(one) < len(two)

    def published_after_suppressed(later):
        both = one.merge(later, on=KEY, suffixes=("_1", "_2"))
        return both[(both["value_status_1"] == "suppressed") & (both["value_status_2"] != "suppressed")]

    assert published_after_suppressed(two).empty
    assert not published_after_suppressed(alone).empty, "control: without the previous release, counts come back"
    truth, _ = _truth(db, second / "borderlens.duckdb")
    published = truth.merge(one[KEY + ["value_status"]], on=KEY, how="left", suffixes=("", "_1"))
    unknown = truth["value_status"].eq("suppressed") & ~published["value_status_1"].isin(["reported", "estimated"])
    assert _narrow(truth, _intervals(truth, unknown, [one])) == []


def test_publish_refuses_a_count_nothing_can_protect_naming_it(tmp_path):
    """Trucks 5 beside Buses withheld by the publisher: the place's total over measures bounds the small count by
    itself (the withheld count may be 0), and no published cell is left to suppress beside it."""
    db = tmp_path / "work.duckdb"
    csv = write(tmp_path / "c.csv", HEADER + "Port X,Vermont,3201,US-Canada Border,Jan 2024,Trucks,5,45.0,-72.0\n"
                                             "Port X,Vermont,3201,US-Canada Border,Jan 2024,Buses,(D),45.0,-72.0\n")
    run_cli("ingest", csv, "--db", db)
    result = run_cli("publish", "--db", db, "--policy", _policy(tmp_path), "--out", tmp_path / "r", check=False)
    assert result.returncode == 2 and not (tmp_path / "r").exists()
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "suppression audit failed" in lines[0] and "USA-3201" in lines[0]
    assert "trucks" in lines[0] and "Traceback" not in result.stderr


def test_publish_refuses_a_previous_release_that_is_not_one(tmp_path):
    db = tmp_path / "work.duckdb"
    run_cli("ingest", _generated(tmp_path, ports=2), "--db", db)
    result = run_cli("publish", "--db", db, "--policy", _policy(tmp_path), "--out", tmp_path / "r",
                     "--previous", tmp_path / "nowhere", check=False)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "previous release not found" in result.stderr


def test_a_protection_level_out_of_range_is_refused_in_one_line(tmp_path):
    db = tmp_path / "work.duckdb"
    run_cli("ingest", _generated(tmp_path, ports=1), "--db", db)
    policy = write(tmp_path / "bad.toml", _policy_with_p(150))
    result = run_cli("publish", "--db", db, "--policy", policy, "--out", tmp_path / "r", check=False)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "p must be a number from 0 to 100" in result.stderr and "crossings-small" in result.stderr


def _policy_with_p(p) -> str:
    return ('[policy]\nname = "x"\n\n[[rule]]\nid = "crossings-small"\ndataset = "crossings"\n'
            f'action = "suppress_below"\nfields = ["value"]\nk = {K}\np = {p}\nreason = "small"\n')


def test_the_warm_solver_and_linprog_give_the_same_intervals(monkeypatch):
    """A 3 x 3 table (places x months) with totals both ways and four suppressed cells, audited by both solvers."""
    from data_pipeline.publish import disclosure_audit as audit

    values = np.array([5.0, 40, 3, 30, 50, 60, 2, 70, 80])
    hidden = np.array([1, 1, 0, 1, 1, 0, 0, 0, 0], dtype=bool) | (values < K)
    rows, cols = np.repeat(np.arange(3), 3), np.tile(np.arange(3), 3)
    cells = audit.Cells(true_value=values, hidden=hidden, withheld=np.zeros(9, bool), missing=np.zeros(9, bool),
                        eligible=~hidden, known=np.zeros(9, bool), primary=values < K, margins=[rows, cols])
    warm = audit.audit(cells, hidden, P)
    monkeypatch.setattr(audit, "WARM_HIGHS", False)
    cold = audit.audit(cells, hidden, P)
    assert warm.programs and cold.programs
    assert np.allclose(warm.lower, cold.lower) and np.allclose(warm.upper, cold.upper)
    assert list(warm.failing) == list(cold.failing)


# --- the demo release -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_release(release_dir):
    """The demo release as the dashboard's tests serve it (test_app_release.build_release: sample_data and the
    hostile seed files under sample_data/policy.toml, built once per session), its working database beside it, and
    the audit's figures as the release states them."""
    release = Path(release_dir)
    truth, _ = _truth(release.parent / "work.duckdb", release / "borderlens.duckdb")
    unknown = truth["value_status"].isin(["suppressed", "withheld_by_publisher"]).to_numpy()
    [(stated,)] = query(release / "borderlens.duckdb", "select value from release_info where key = 'suppression_audit'")
    return truth, unknown, json.loads(stated)


@pytest.fixture(scope="module")
def demo_attack(demo_release):
    """The small counts an attacker narrows in the demo release with every documented total."""
    truth, unknown, _ = demo_release
    return _component_intervals(truth, unknown, MARGINS)


def test_an_lp_attack_on_the_demo_release_recovers_only_the_counts_it_declares_unprotectable(demo_release,
                                                                                              demo_attack):
    """Every margin the audit protects, attacked on the demo's cells: the only small counts narrowed are as
    many as the release counts as unprotectable (sample_data/policy.toml accepts them), each still suppressed."""
    truth, unknown, figures = demo_release
    assert len(truth) > 20_000 and figures["primaries"] > 1000
    narrow = demo_attack
    assert len(narrow) == figures["unprotectable"], narrow[KEY + ["true_value", "low", "high"]].to_string()
    assert set(narrow["value_status"]) <= {"suppressed"}
    control = _component_intervals(truth, truth["value_status"].eq("withheld_by_publisher").to_numpy()
                                   | truth["true_value"].between(1, K - 1).to_numpy(), MARGINS,
                                   enough=10 * len(narrow) + 1)
    assert len(control) > 10 * len(narrow), "control: primary suppression alone is attacked successfully"


def test_totals_across_borders_countries_and_years_recover_nothing_more(demo_release, demo_attack):
    """The totals across borders, countries and years (the Overview's, Trends', Ranking's, a border's year) are in
    the audit: with them the attack narrows no count the release does not declare unprotectable (before they
    were, this failed: the four narrower margins' audit left counts the wider totals narrow)."""
    truth, unknown, figures = demo_release
    assert set(WIDER_MARGINS) <= set(MARGINS)
    assert len(demo_attack) <= figures["unprotectable"], demo_attack[KEY + ["true_value", "low", "high"]].to_string()
