"""Redaction policies: a TOML file of rules, checked before anything is published (docs/policy.md).

A rule names a dataset, fields, an action and an optional `when` condition; the file is parsed into typed rules
(Rule, with one options dataclass per action) by one validator, load(). Conditions are a small language compiled
to parameterised SQL (policy_conditions); which fields an action may name comes from the schema (policy_schema).
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import tomllib
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, NoReturn

from data_pipeline.publish.cells import cell_km
from data_pipeline.datasets import DATASET_NAMES
from data_pipeline.errors import UserError
from data_pipeline.publish.policy_conditions import WHEN_MAX_CHARS, Condition, parse_condition, shortened
from data_pipeline.publish.policy_schema import (WHOLE_TYPES, allowed_fields, dataset_columns, location_fields,
                                         status_column)

# What other modules read from here (the conditions and the schema view live in policy_conditions, policy_schema).
__all__ = ["ACTIONS", "P_DEFAULT", "WHEN_MAX_CHARS", "Condition", "Policy", "Rule", "dataset_columns", "load",
           "location_fields", "parse_condition", "status_column", "CoarsenLocation", "CoarsenTime", "Drop",
           "EmbargoDays", "RoundTo", "SuppressBelow"]

RULE_KEYS = {"id", "dataset", "action", "fields", "when", "reason"}
EMBARGO_DEFAULT = {"crossings": "period_start", "exercise_notices": "start_date",
                   "infrastructure_projects": "planned_start"}
TIME_UNITS = ("week", "month", "year")
# Bounds of the action parameters (docs/policy.md): anything outside is refused before anything is published.
K_MAX = 1_000_000_000               # suppress_below k
P_DEFAULT = 20                      # suppress_below p: the audit's protection level, in % of a cell's value
DAYS_MAX = 36_500                   # embargo_days days (100 years)
BASE_MIN, BASE_MAX = 1e-6, 1e12     # round_to base
GRID_MIN, GRID_MAX = 0.01, 90       # coarsen_location grid_degrees (0.01 degrees: about 1 km)


# Each action's parameters, as the policy file names them: a field without a default is required, and its type
# says what the file may give (float takes whole numbers too). The defaults are stated here and nowhere else.
@dataclass(frozen=True)
class Drop:
    action: ClassVar[str] = "drop"


@dataclass(frozen=True)
class CoarsenLocation:
    action: ClassVar[str] = "coarsen_location"
    h3_resolution: int | None = None     # exactly one of h3_resolution and grid_degrees
    grid_degrees: float | None = None


@dataclass(frozen=True)
class CoarsenTime:
    action: ClassVar[str] = "coarsen_time"
    to: str


@dataclass(frozen=True)
class SuppressBelow:
    action: ClassVar[str] = "suppress_below"
    k: int
    keep_zeros: bool = False
    p: float = P_DEFAULT                 # p and accept_unprotectable: the audit of crossings value only
    accept_unprotectable: bool = False


@dataclass(frozen=True)
class RoundTo:
    action: ClassVar[str] = "round_to"
    base: float


@dataclass(frozen=True)
class EmbargoDays:
    action: ClassVar[str] = "embargo_days"
    days: int


Options = Drop | CoarsenLocation | CoarsenTime | SuppressBelow | RoundTo | EmbargoDays
OPTIONS: dict[str, type[Options]] = {cls.action: cls for cls in typing.get_args(Options)}
ACTIONS = tuple(OPTIONS)
AUDITED_ONLY = ("p", "accept_unprotectable")   # suppress_below options the crossings audit reads


@dataclass(frozen=True)
class Rule:
    number: int       # position in the file, from 1
    id: str
    dataset: str
    fields: tuple[str, ...]
    reason: str
    options: Options  # the action and its parameters
    when: Condition | None = None

    @property
    def action(self) -> str:
        return self.options.action

    @property
    def precision(self) -> str | None:
        """For coarsen_location: h3_<res> or grid_<degrees>; for coarsen_time: week, month or year."""
        options = self.options
        if isinstance(options, CoarsenLocation):
            if options.h3_resolution is not None:
                return f"h3_{options.h3_resolution}"
            return f"grid_{options.grid_degrees:g}"
        if isinstance(options, CoarsenTime):
            return options.to
        return None

    @property
    def cell_km(self) -> float | None:
        """About how wide a coarsened location cell is, in km (the marker says 'about N km')."""
        precision = self.precision
        return cell_km(precision) if self.action == "coarsen_location" and precision else None

    def describe(self) -> str:
        """The rule in plain words, for release_info.policy_text and the Transparency page."""
        names, o = ", ".join(self.fields), self.options
        if isinstance(o, Drop):
            text = f"{names} not published"
        elif isinstance(o, CoarsenLocation):
            text = f"location coarsened to {self.precision} cells (about {self.cell_km:g} km across)"
        elif isinstance(o, CoarsenTime):
            text = f"{names} coarsened to the start of the {o.to}"
        elif isinstance(o, SuppressBelow):
            text = f"{names} below {o.k} suppressed{' (zeros kept)' if o.keep_zeros else ''}"
            if self.audited:
                text += (", with secondary suppression so that margins give no suppressed value back (audited: "
                         f"each small count stays within an interval of at least +-{o.p:g} %)")
        elif isinstance(o, RoundTo):
            text = f"{names} rounded to the nearest {o.base:g}"
        else:
            text = f"rows whose {names} is later than {o.days} days before the publish date held back"
        when = f" when {self.when.text}" if self.when else ""
        return f"[{self.id}] {self.dataset}: {text}{when}. Reason: {self.reason}"

    @property
    def audited(self) -> bool:
        """Whether the suppression audit covers this rule's values (crossings value)."""
        return self.dataset == "crossings" and "value" in self.fields


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
    rules: list[Rule] = []
    seen: set[str] = set()
    for number, raw in enumerate(raw_rules, start=1):
        rule = _rule(path, number, raw)
        if rule.id in seen:
            raise UserError(f"{path}: rule #{number} '{rule.id}': the id is used twice")
        seen.add(rule.id)
        audited = next((r for r in rules if r.action == "suppress_below" and r.audited), None)
        given = [name for name in AUDITED_ONLY if name in raw]
        if audited and rule.action == "suppress_below" and rule.audited and given:
            raise UserError(f"{path}: rule #{number} '{rule.id}': {given[0]} is read from the first suppress_below "
                            f"rule on crossings value (rule #{audited.number} '{audited.id}'), not from this one")
        rules.append(rule)
    return Policy(str(path), str(head.get("name", path.stem)), str(head.get("description", "")), tuple(rules))


def _rule(path: Path, number: int, raw: dict) -> Rule:
    label = f"rule #{number} '{raw.get('id', '?')}'" if isinstance(raw, dict) else f"rule #{number}"

    def fail(message: str) -> NoReturn:
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
    parameters = _parameters(action)
    unknown = set(raw) - RULE_KEYS - set(parameters)
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
    options = _options(fail, action, parameters, raw, dataset, fields)
    when = None
    if "when" in raw:
        if not isinstance(raw["when"], str):
            fail(f"when must be a text in quotes, like when = \"troops >= 13000\", not {shortened(repr(raw['when']))}")
        try:
            when = parse_condition(raw["when"], columns[dataset])
        except (ValueError, RecursionError) as exc:  # RecursionError: defence in depth, the depth is bounded
            problem = exc if isinstance(exc, ValueError) else "nested too deep"
            fail(f"bad condition {shortened(repr(raw['when']), 120)}: {problem}")
    return Rule(number, rule_id, dataset, tuple(fields), reason.strip(), options, when)


def _parameters(action: str) -> dict[str, tuple[bool, tuple[type, ...]]]:
    """The parameters an action takes, read from its options class: name -> (required, python types the file may
    give); a float parameter takes whole numbers too."""
    cls = OPTIONS[action]
    hints = typing.get_type_hints(cls)
    found = {}
    for parameter in dataclasses.fields(cls):
        hint = hints[parameter.name]
        types = tuple(t for t in (typing.get_args(hint) or (hint,)) if t is not type(None))
        found[parameter.name] = (parameter.default is dataclasses.MISSING, (int, *types) if float in types else types)
    return found


def _options(fail, action: str, parameters: dict, raw: dict, dataset: str, fields: list[str]) -> Options:
    """The one validator of an action's parameters: presence and type (from the options class), then bounds."""
    params = {}
    for name, (required, types) in parameters.items():
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
    audited = dataset == "crossings" and "value" in fields
    for name in AUDITED_ONLY:
        if name in params and not audited:
            fail(f"{name} applies only to crossings value (the suppression audit), not to {dataset} "
                 f"{', '.join(fields)}")
    return OPTIONS[action](**params)


def _within(value: int | float, low: float, high: float) -> bool:
    """low <= value <= high for a finite value (NaN, inf and ints too large for a float are outside)."""
    try:
        number = float(value)
    except OverflowError:
        return False
    return math.isfinite(number) and low <= number <= high
