"""Redaction policies: a TOML file of rules, checked before anything is published (docs/policy.md).

A rule names a dataset, fields, an action and an optional `when` condition. Conditions are a small language
compiled to parameterised SQL (policy_conditions); which fields an action may name comes from the schema
(policy_schema).
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from data_pipeline.cells import cell_km
from data_pipeline.datasets import DATASET_NAMES
from data_pipeline.errors import UserError
from data_pipeline.policy_conditions import WHEN_MAX_CHARS, Condition, parse_condition, shortened
from data_pipeline.policy_schema import (WHOLE_TYPES, allowed_fields, dataset_columns, location_fields,
                                         status_column)

# What other modules read from here (the conditions and the schema view live in policy_conditions, policy_schema).
__all__ = ["ACTIONS", "P_DEFAULT", "WHEN_MAX_CHARS", "Condition", "Policy", "Rule", "dataset_columns", "load",
           "location_fields", "parse_condition", "status_column"]

ACTIONS = ("drop", "coarsen_location", "coarsen_time", "suppress_below", "round_to", "embargo_days")
# Parameters each action takes: name -> (required, python types allowed).
ACTION_PARAMS = {
    "drop": {},
    "coarsen_location": {"h3_resolution": (False, (int,)), "grid_degrees": (False, (int, float))},
    "coarsen_time": {"to": (True, (str,))},
    "suppress_below": {"k": (True, (int,)), "keep_zeros": (False, (bool,)), "p": (False, (int, float)),
                       "accept_unprotectable": (False, (bool,))},
    "round_to": {"base": (True, (int, float))},
    "embargo_days": {"days": (True, (int,))},
}
RULE_KEYS = {"id", "dataset", "action", "fields", "when", "reason"}
EMBARGO_DEFAULT = {"crossings": "period_start", "exercise_notices": "start_date",
                   "infrastructure_projects": "planned_start"}
TIME_UNITS = ("week", "month")
# Bounds of the action parameters (docs/policy.md): anything outside is refused before anything is published.
K_MAX = 1_000_000_000               # suppress_below k
P_DEFAULT = 20                      # suppress_below p: the audit's protection level, in % of a cell's value
DAYS_MAX = 36_500                   # embargo_days days (100 years)
BASE_MIN, BASE_MAX = 1e-6, 1e12     # round_to base
GRID_MIN, GRID_MAX = 0.01, 90       # coarsen_location grid_degrees (0.01 degrees: about 1 km)


@dataclass(frozen=True)
class Rule:
    number: int       # position in the file, from 1
    id: str
    dataset: str
    action: str
    fields: tuple[str, ...]
    reason: str
    when: Condition | None = None
    params: dict = field(default_factory=dict)

    @property
    def precision(self) -> str | None:
        """For coarsen_location: h3_<res> or grid_<degrees>; for coarsen_time: week or month."""
        if self.action == "coarsen_location":
            if "h3_resolution" in self.params:
                return f"h3_{self.params['h3_resolution']}"
            return f"grid_{self.params['grid_degrees']:g}"
        if self.action == "coarsen_time":
            return self.params["to"]
        return None

    @property
    def cell_km(self) -> float | None:
        """About how wide a coarsened location cell is, in km (the marker says 'about N km')."""
        return cell_km(self.precision) if self.action == "coarsen_location" else None

    def describe(self) -> str:
        """The rule in plain words, for release_info.policy_text and the Transparency page."""
        names, p = ", ".join(self.fields), self.params
        if self.action == "drop":
            text = f"{names} not published"
        elif self.action == "coarsen_location":
            text = f"location coarsened to {self.precision} cells (about {self.cell_km:g} km across)"
        elif self.action == "coarsen_time":
            text = f"{names} coarsened to the start of the {p['to']}"
        elif self.action == "suppress_below":
            text = f"{names} below {p['k']} suppressed{' (zeros kept)' if p.get('keep_zeros') else ''}"
            if self.dataset == "crossings" and "value" in self.fields:
                text += (", with secondary suppression so that margins give no suppressed value back (audited: "
                         f"each small count stays within an interval of at least +-{p.get('p', P_DEFAULT):g} %)")
        elif self.action == "round_to":
            text = f"{names} rounded to the nearest {p['base']:g}"
        else:
            text = f"rows whose {names} is later than {p['days']} days before the publish date held back"
        when = f" when {self.when.text}" if self.when else ""
        return f"[{self.id}] {self.dataset}: {text}{when}. Reason: {self.reason}"


@dataclass(frozen=True)
class Policy:
    path: str
    name: str
    description: str
    rules: tuple[Rule, ...]

    def plain_text(self) -> str:
        head = [self.name] + ([self.description] if self.description else [])
        return "\n".join(head + [r.describe() for r in self.rules])

    def rules_for(self, dataset: str, action: str | None = None) -> list[Rule]:
        return [r for r in self.rules if r.dataset == dataset and (action is None or r.action == action)]


# ---------------------------------------------------------------------------------------------- conditions

# ---------------------------------------------------------------------------------------------- loading


def load(path: str | Path) -> Policy:
    """Read and check a policy file; any problem raises one UserError line naming the file and the rule."""
    path = Path(path)
    if path.is_dir():
        raise UserError(f"{path}: is a folder, not a policy file (give the .toml file)")
    if not path.is_file():
        raise UserError(f"policy file not found: {path}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read the policy file: {exc.strerror or exc}") from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(doc) - {"policy", "rule"}
    if unknown:
        raise UserError(f"{path}: unknown top-level key(s) {', '.join(sorted(unknown))} (expected [policy], [[rule]])")
    head = doc.get("policy", {})
    if not isinstance(head, dict) or set(head) - {"name", "description"}:
        raise UserError(f"{path}: [policy] takes only name and description")
    for key in ("name", "description"):
        if key in head and not isinstance(head[key], str):
            raise UserError(f"{path}: [policy] {key} must be a text in quotes, not {shortened(repr(head[key]))}")
    raw_rules = doc.get("rule", [])
    if not isinstance(raw_rules, list) or not raw_rules:
        raise UserError(f"{path}: no [[rule]] entries")
    rules, seen = [], set()
    for number, raw in enumerate(raw_rules, start=1):
        rule = _rule(path, number, raw)
        if rule.id in seen:
            raise UserError(f"{path}: rule #{number} '{rule.id}': the id is used twice")
        seen.add(rule.id)
        rules.append(rule)
    return Policy(str(path), str(head.get("name", path.stem)), str(head.get("description", "")), tuple(rules))


def _rule(path: Path, number: int, raw: dict) -> Rule:
    label = f"rule #{number} '{raw.get('id', '?')}'" if isinstance(raw, dict) else f"rule #{number}"

    def fail(message: str):
        raise UserError(f"{path}: {label}: {message}")

    if not isinstance(raw, dict):
        fail("is not a table")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", rule_id):
        fail("needs an id of letters, digits, '-', '_' or '.'")
    dataset, action = raw.get("dataset"), raw.get("action")
    columns = dataset_columns()
    if dataset not in DATASET_NAMES:
        fail(f"unknown dataset {dataset!r} ({', '.join(DATASET_NAMES)})")
    if action not in ACTIONS:
        fail(f"unknown action {action!r} ({', '.join(ACTIONS)})")
    unknown = set(raw) - RULE_KEYS - set(ACTION_PARAMS[action])
    if unknown:
        fail(f"unknown key(s) {', '.join(sorted(unknown))} for action {action}")
    reason = raw.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        fail("needs a reason (plain words: why this is withheld)")
    fields = raw.get("fields")
    if fields is None:
        fields = {"coarsen_location": list(location_fields(dataset)),
                  "embargo_days": [EMBARGO_DEFAULT[dataset]]}.get(action)
        if fields is None:
            fail(f"needs fields = [...] for action {action}")
    if not isinstance(fields, list) or not fields or not all(isinstance(f, str) for f in fields):
        shown = f", like fields = [{json.dumps(fields)}]" if isinstance(fields, str) else ""
        fail(f"fields must be a list of column names{shown}")
    twice = sorted({f for f in fields if fields.count(f) > 1})
    if twice:
        fail(f"field {twice[0]!r} is named twice in fields")
    allowed = allowed_fields(dataset, action)
    for name in fields:
        if name not in columns[dataset]:
            fail(f"unknown field {name!r} in {dataset}")
        if name not in allowed:
            fail(f"field {name!r} cannot take {action} (allowed: {', '.join(sorted(allowed)) or 'none'})")
    if action in ("drop", "coarsen_location") and set(fields) & set(location_fields(dataset)):
        fields = list(dict.fromkeys(fields + list(location_fields(dataset))))  # a location goes whole
    params = _params(fail, action, raw, dataset, fields)
    when = None
    if "when" in raw:
        if not isinstance(raw["when"], str):
            fail(f"when must be a text in quotes, like when = \"troops >= 13000\", not {shortened(repr(raw['when']))}")
        try:
            when = parse_condition(raw["when"], columns[dataset])
        except (ValueError, RecursionError) as exc:  # RecursionError: defence in depth, the depth is bounded
            problem = exc if isinstance(exc, ValueError) else "nested too deep"
            fail(f"bad condition {shortened(repr(raw['when']), 120)}: {problem}")
    return Rule(number, rule_id, dataset, action, tuple(fields), reason.strip(), when, params)


def _params(fail, action: str, raw: dict, dataset: str, fields: list[str]) -> dict:
    params = {}
    for name, (required, types) in ACTION_PARAMS[action].items():
        if name not in raw:
            if required:
                fail(f"action {action} needs {name}")
            continue
        value = raw[name]
        if isinstance(value, bool) and bool not in types or not isinstance(value, types):
            fail(f"{name} must be {' or '.join(t.__name__ for t in types)}, not {value!r}")
        params[name] = value
    if action == "coarsen_location":
        if ("h3_resolution" in params) == ("grid_degrees" in params):
            fail("coarsen_location needs exactly one of h3_resolution or grid_degrees")
        if not 0 <= params.get("h3_resolution", 0) <= 15:
            fail("h3_resolution must be 0 to 15")
        if "grid_degrees" in params and not _within(params["grid_degrees"], GRID_MIN, GRID_MAX):
            fail(f"grid_degrees must be from {GRID_MIN:g} to {GRID_MAX:g} degrees, "
                 f"not {shortened(repr(params['grid_degrees']))}")
    if action == "coarsen_time" and params["to"] not in TIME_UNITS:
        fail(f"to must be one of {', '.join(TIME_UNITS)}")
    if action == "suppress_below" and not 1 <= params["k"] <= K_MAX:
        fail(f"k must be a whole number from 1 to {K_MAX:_}, not {shortened(repr(params['k']))}")
    if action == "suppress_below" and "p" in params and not _within(params["p"], 0, 100):
        fail(f"p must be a number from 0 to 100 (per cent), not {shortened(repr(params['p']))}")
    if action == "round_to":
        base = params["base"]
        if not _within(base, BASE_MIN, BASE_MAX):
            fail(f"base must be a number from {BASE_MIN:g} to {BASE_MAX:g}, not {shortened(repr(base))}")
        columns = dataset_columns()[dataset]
        whole = [f for f in fields if columns[f].startswith(WHOLE_TYPES)]
        if whole and not float(base).is_integer():
            fail(f"base must be a whole number for {whole[0]} (a column of whole numbers), not {base!r}")
    if action == "embargo_days" and not 0 <= params["days"] <= DAYS_MAX:
        fail(f"days must be a whole number from 0 to {DAYS_MAX:_}, not {shortened(repr(params['days']))}")
    return params


def _within(value: int | float, low: float, high: float) -> bool:
    """low <= value <= high for a finite value (NaN, inf and ints too large for a float are outside)."""
    try:
        number = float(value)
    except OverflowError:
        return False
    return math.isfinite(number) and low <= number <= high
