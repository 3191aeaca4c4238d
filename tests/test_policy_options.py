"""A policy is parsed into typed rules: each action's parameters are a dataclass (defaults stated once, types
checked from it), and an option that would not be acted on is refused, not ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from data_pipeline.publish import policy as policies
from data_pipeline.errors import UserError
from support import write
from test_policy import _rule  # one rule as TOML (kept there: its policy scan skips that module's refused ones)


CROSSINGS_VALUE = _rule(id="small", dataset="crossings", action="suppress_below", fields=["value"], k=10,
                        reason="small counts")


def _load(tmp_path: Path, body: str) -> policies.Policy:
    return policies.load(write(tmp_path / "policy.toml", body))


def _refusal(tmp_path: Path, body: str) -> str:
    with pytest.raises(UserError) as caught:
        _load(tmp_path, body)
    message = str(caught.value)
    assert "\n" not in message and str(tmp_path / "policy.toml") in message, message
    return message


def test_each_action_gives_its_typed_options(tmp_path: Path):
    policy = _load(tmp_path, CROSSINGS_VALUE + "".join([
        _rule(id="d", dataset="infrastructure_projects", action="drop", fields=["funders"], reason="x"),
        _rule(id="h", dataset="exercise_notices", action="coarsen_location", h3_resolution=5, reason="x"),
        _rule(id="g", dataset="crossings", action="coarsen_location", grid_degrees=1, reason="x"),
        _rule(id="t", dataset="exercise_notices", action="coarsen_time", fields=["start_date"], to="month",
              reason="x"),
        _rule(id="r", dataset="exercise_notices", action="round_to", fields=["troops"], base=100, reason="x"),
        _rule(id="e", dataset="crossings", action="embargo_days", days=30, reason="x"),
    ]))
    options = {rule.id: rule.options for rule in policy.rules}
    # the defaults docs/policy.md states: keep_zeros false, p 20, accept_unprotectable false
    assert options["small"] == policies.SuppressBelow(k=10, keep_zeros=False, p=20, accept_unprotectable=False)
    assert options["d"] == policies.Drop()
    assert options["h"] == policies.CoarsenLocation(h3_resolution=5)
    assert options["g"] == policies.CoarsenLocation(grid_degrees=1)   # a whole number where a float is asked
    assert options["t"] == policies.CoarsenTime(to="month") and options["r"] == policies.RoundTo(base=100)
    assert options["e"] == policies.EmbargoDays(days=30)
    assert [rule.action for rule in policy.rules] == ["suppress_below", "drop", "coarsen_location",
                                                      "coarsen_location", "coarsen_time", "round_to", "embargo_days"]
    assert [policy.rules[i].precision for i in (2, 3, 4)] == ["h3_5", "grid_1", "month"]


def test_a_parameter_of_the_wrong_type_is_refused(tmp_path: Path):
    message = _refusal(tmp_path, _rule(id="h", dataset="crossings", action="coarsen_location", h3_resolution=5.5,
                                       reason="x"))
    assert "rule #1 'h': h3_resolution must be int, not 5.5" in message, message
    message = _refusal(tmp_path, _rule(id="s", dataset="crossings", action="suppress_below", fields=["value"], k=10,
                                       keep_zeros=1, reason="x"))
    assert "keep_zeros must be bool, not 1" in message, message


@pytest.mark.parametrize("option", [{"p": 30}, {"accept_unprotectable": True}])
def test_audit_options_outside_crossings_value_are_refused(tmp_path: Path, option: dict):
    """The audit covers crossings value only: p or accept_unprotectable elsewhere would be silently ignored."""
    name = next(iter(option))
    message = _refusal(tmp_path, _rule(id="troops", dataset="exercise_notices", action="suppress_below",
                                       fields=["troops"], k=5, reason="x", **option))
    assert f"rule #1 'troops': {name} applies only to crossings value" in message, message


def test_audit_options_on_a_second_crossings_value_rule_are_refused(tmp_path: Path):
    second = _rule(id="again", dataset="crossings", action="suppress_below", fields=["value"], k=20, p=50,
                   reason="x")
    message = _refusal(tmp_path, CROSSINGS_VALUE + second)
    assert "rule #2 'again': p is read from the first suppress_below rule on crossings value (rule #1 'small')" \
        in message, message
    # without audit options a second rule is fine: it suppresses, the first rule's p is the audit's
    policy = _load(tmp_path, CROSSINGS_VALUE + second.replace("p = 50\n", ""))
    assert [r.id for r in policy.rules] == ["small", "again"]
