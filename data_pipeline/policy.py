"""Redaction policies: a TOML file of rules, checked before anything is published (docs/policy.md).

A rule names a dataset, fields, an action and an optional `when` condition. Conditions are a small language
parsed here into parameterised SQL: column names come only from the dataset's schema, values are bound.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import duckdb

from data_pipeline.cells import cell_km
from data_pipeline.datasets import DATASET_NAMES
from data_pipeline.errors import UserError

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
GEOMETRY_COLUMN = {"exercise_notices": "area_geojson", "infrastructure_projects": "geometry_geojson"}
EMBARGO_DEFAULT = {"crossings": "period_start", "exercise_notices": "start_date",
                   "infrastructure_projects": "planned_start"}
TIME_UNITS = ("week", "month")
NUMERIC_TYPES = ("DOUBLE", "BIGINT", "INTEGER", "HUGEINT", "DECIMAL", "FLOAT", "SMALLINT")
WHOLE_TYPES = ("BIGINT", "INTEGER", "HUGEINT", "SMALLINT")
# Bounds of the action parameters (docs/policy.md): anything outside is refused before anything is published.
K_MAX = 1_000_000_000               # suppress_below k
P_DEFAULT = 20                      # suppress_below p: the audit's protection level, in % of a cell's value
DAYS_MAX = 36_500                   # embargo_days days (100 years)
BASE_MIN, BASE_MAX = 1e-6, 1e12     # round_to base
GRID_MIN, GRID_MAX = 0.01, 90       # coarsen_location grid_degrees (0.01 degrees: about 1 km)
# Bounds of a `when` condition.
WHEN_MAX_CHARS = 2_000
WHEN_MAX_DEPTH = 50                 # nested parentheses and `not`s
INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1


@dataclass(frozen=True)
class Condition:
    text: str
    sql: str          # a boolean SQL expression over quoted column names, with ? placeholders
    params: tuple
    columns: frozenset


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


# ---------------------------------------------------------------------------------------------- schema


@cache
def dataset_columns() -> dict[str, dict[str, str]]:
    """Columns and DuckDB types of the canonical tables, read from the schema migrations themselves."""
    from data_pipeline.db import migrate, sql

    con = duckdb.connect()
    try:
        migrate(con)
        rows = con.execute(sql("release/schema_columns")).fetchall()
    finally:
        con.close()
    columns: dict[str, dict[str, str]] = {}
    for table, column, data_type in rows:
        columns.setdefault(table, {})[column] = data_type
    return columns


@cache
def not_null_columns() -> dict[str, frozenset]:
    from data_pipeline.db import migrate, sql

    con = duckdb.connect()
    try:
        migrate(con)
        rows = con.execute(sql("release/schema_not_null")).fetchall()
    finally:
        con.close()
    found: dict[str, set] = {}
    for table, column in rows:
        found.setdefault(table, set()).add(column)
    return {k: frozenset(v) for k, v in found.items()}


def location_fields(dataset: str) -> tuple[str, ...]:
    """The columns that say where a row is; they are coarsened or dropped together, never one alone."""
    return ("lat", "lon") + ((GEOMETRY_COLUMN[dataset],) if dataset in GEOMETRY_COLUMN else ())


def status_column(dataset: str, column: str) -> str | None:
    """The status column that says why a field is empty: <field>_status, location_status, or value_status."""
    columns = dataset_columns()[dataset]
    if f"{column}_status" in columns:
        return f"{column}_status"
    if column in location_fields(dataset) and "location_status" in columns:
        return "location_status"
    return None


def allowed_fields(dataset: str, action: str) -> set[str]:
    """Which fields an action may name in a dataset (identifiers are only ever taken from these sets)."""
    columns = dataset_columns()[dataset]
    protected = not_null_columns()[dataset] | {"source_id", "source_line", "location_precision"}
    protected |= {c for c in columns if c.endswith("_status")}
    numeric = {c for c, t in columns.items() if t.startswith(NUMERIC_TYPES)} - {"lat", "lon", "source_line"}
    dates = {c for c, t in columns.items() if t == "DATE"}
    if action == "drop":
        return set(columns) - protected
    if action == "coarsen_location":
        return set(location_fields(dataset))
    if action == "coarsen_time":
        return set() if dataset == "crossings" else dates
    if action == "suppress_below":
        return {c for c in numeric if status_column(dataset, c)}
    if action == "round_to":
        return numeric
    if action == "embargo_days":
        return dates
    return set()


# ---------------------------------------------------------------------------------------------- conditions

_TOKEN = re.compile(r"""\s*(?:(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?![A-Za-z_])
                        |(?P<string>'(?:[^']|'')*')
                        |(?P<op><=|>=|!=|<>|=|<|>)
                        |(?P<punct>[(),])
                        |(?P<word>[A-Za-z_][A-Za-z0-9_]*))""", re.X)
KEYWORDS = {"and", "or", "not", "is", "null", "in", "true", "false"}
ORDER_OPS = ("<", "<=", ">", ">=")


def _tokens(text: str) -> list[tuple[str, object]]:
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError(f"cannot read {text[pos:].strip()[:20]!r}")
        pos = m.end()
        kind = m.lastgroup
        value = m.group(kind)
        if kind == "number":
            value = float(value) if any(c in value for c in ".eE") else int(value)
        elif kind == "string":
            value = value[1:-1].replace("''", "'")
        elif kind == "word" and value.lower() in KEYWORDS:
            kind, value = "kw", value.lower()
        elif kind == "op" and value == "<>":
            value = "!="
        tokens.append((kind, value))
    return tokens


class _Parser:
    """expr := and ('or' and)* ; and := unary ('and' unary)* ; unary := 'not' unary | '(' expr ')' | test

    Recursive descent, so nesting is bounded (WHEN_MAX_DEPTH): a deep condition is refused, never a
    RecursionError."""

    def __init__(self, tokens, columns: dict[str, str]):
        self.tokens, self.pos, self.columns = tokens, 0, columns
        self.params: list = []
        self.used: set[str] = set()
        self.depth = 0

    def peek(self, kind=None, value=None):
        if self.pos >= len(self.tokens):
            return None
        tok = self.tokens[self.pos]
        if (kind is None or tok[0] == kind) and (value is None or tok[1] == value):
            return tok
        return None

    def take(self, kind=None, value=None, what="more"):
        tok = self.peek(kind, value)
        if tok is None:
            found = self.tokens[self.pos][1] if self.pos < len(self.tokens) else "the end"
            raise ValueError(f"expected {what}, found {found!r}")
        self.pos += 1
        return tok

    def parse(self) -> str:
        out = self.expr()
        if self.pos != len(self.tokens):
            raise ValueError(f"unexpected {self.tokens[self.pos][1]!r}")
        return out

    def expr(self) -> str:
        parts = [self.conj()]
        while self.peek("kw", "or"):
            self.pos += 1
            parts.append(self.conj())
        return parts[0] if len(parts) == 1 else "(" + " or ".join(parts) + ")"

    def conj(self) -> str:
        parts = [self.unary()]
        while self.peek("kw", "and"):
            self.pos += 1
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else "(" + " and ".join(parts) + ")"

    def unary(self) -> str:
        if self.peek("kw", "not") or self.peek("punct", "("):
            self.depth += 1
            if self.depth > WHEN_MAX_DEPTH:
                raise ValueError(f"nested more than {WHEN_MAX_DEPTH} deep (parentheses and 'not')")
            try:
                if self.peek("kw", "not"):
                    self.pos += 1
                    return f"(not {self.unary()})"
                self.pos += 1
                inner = self.expr()
                self.take("punct", ")", "')'")
                return inner
            finally:
                self.depth -= 1
        return self.test()

    def literal(self, column: str, kind: str):
        tok = self.take(what=f"a value for {column}")
        if kind == "number" and tok[0] == "number":
            return _number(tok[1], column, self.columns[column])
        if kind in ("text", "list") and tok[0] == "string":
            return tok[1]
        if kind == "date" and tok[0] == "string":
            try:
                return date.fromisoformat(tok[1])
            except ValueError:
                raise ValueError(f"{tok[1]!r} is not a date (YYYY-MM-DD) for {column}") from None
        if kind == "boolean" and tok == ("kw", "true"):
            return True
        if kind == "boolean" and tok == ("kw", "false"):
            return False
        wanted = {"number": "a number", "text": "a 'quoted' text", "list": "a 'quoted' text",
                  "date": "a 'YYYY-MM-DD' date", "boolean": "true or false"}[kind]
        raise ValueError(f"{column} takes {wanted}, not {tok[1]!r}")

    def test(self) -> str:
        name = self.take("word", what="a column name")[1]
        column = name.lower()
        if column not in self.columns:
            raise ValueError(f"unknown column {name!r}")
        self.used.add(column)
        kind = _kind(self.columns[column])
        ident = f'"{column}"'
        if self.peek("kw", "is"):
            self.pos += 1
            negate = bool(self.peek("kw", "not"))
            self.pos += negate
            self.take("kw", "null", "null")
            return f"({ident} is {'not ' if negate else ''}null)"
        negate = bool(self.peek("kw", "not"))
        self.pos += negate
        if self.peek("kw", "in"):
            self.pos += 1
            self.take("punct", "(", "'('")
            values = [self.literal(column, kind)]
            while self.peek("punct", ","):
                self.pos += 1
                values.append(self.literal(column, kind))
            self.take("punct", ")", "')'")
            self.params.append(values)
            test = f"list_has_any({ident}, ?)" if kind == "list" else f"list_contains(?, {ident})"
            return f"(not {test})" if negate else f"({test})"
        if negate:
            raise ValueError("'not' goes before a test, or in 'not in' / 'is not null'")
        op = self.take("op", what="an operator (= != < <= > >= in, is null)")[1]
        if op in ORDER_OPS and kind not in ("number", "date"):
            raise ValueError(f"{op} compares numbers or dates; {column} is {self.columns[column]}")
        self.params.append(self.literal(column, kind))
        if kind == "list":
            test = f"list_contains({ident}, ?)"
            return f"(not {test})" if op == "!=" else f"({test})"
        return f"({ident} {op} ?)"


def _number(value: int | float, column: str, data_type: str) -> int | float:
    """A numeric literal as it is bound: finite, and within what the column's type can hold (a whole-number
    column: 64-bit integers; a DOUBLE column: a double). DuckDB never sees a value it cannot bind."""
    if isinstance(value, int) and INT64_MIN <= value <= INT64_MAX:
        return value
    if isinstance(value, int) and data_type.startswith(WHOLE_TYPES):
        raise ValueError(f"{value} is out of range for {column} (whole numbers from {INT64_MIN} to {INT64_MAX})")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise ValueError(f"{_short(str(value))} is out of range for {column} (not a finite number)")
    return number


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _kind(data_type: str) -> str:
    if data_type.endswith("[]"):
        return "list"
    if data_type.startswith(NUMERIC_TYPES):
        return "number"
    return {"DATE": "date", "BOOLEAN": "boolean"}.get(data_type, "text")


def parse_condition(text: str, columns: dict[str, str]) -> Condition:
    """Compile a `when` expression; raises ValueError saying what is wrong. Unknown -> the rule applies."""
    if not isinstance(text, str):
        raise ValueError(f"must be a text in quotes, like when = \"troops >= 13000\", not {text!r}")
    if not text.strip():
        raise ValueError("is empty")
    if len(text) > WHEN_MAX_CHARS:
        raise ValueError(f"is {len(text)} characters long (at most {WHEN_MAX_CHARS})")
    parser = _Parser(_tokens(text), columns)
    body = parser.parse()
    return Condition(text=text.strip(), sql=f"coalesce({body}, true)", params=tuple(parser.params),
                     columns=frozenset(parser.used))


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
            raise UserError(f"{path}: [policy] {key} must be a text in quotes, not {_short(repr(head[key]))}")
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
            fail(f"when must be a text in quotes, like when = \"troops >= 13000\", not {_short(repr(raw['when']))}")
        try:
            when = parse_condition(raw["when"], columns[dataset])
        except (ValueError, RecursionError) as exc:  # RecursionError: defence in depth, the depth is bounded
            problem = exc if isinstance(exc, ValueError) else "nested too deep"
            fail(f"bad condition {_short(repr(raw['when']), 120)}: {problem}")
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
                 f"not {_short(repr(params['grid_degrees']))}")
    if action == "coarsen_time" and params["to"] not in TIME_UNITS:
        fail(f"to must be one of {', '.join(TIME_UNITS)}")
    if action == "suppress_below" and not 1 <= params["k"] <= K_MAX:
        fail(f"k must be a whole number from 1 to {K_MAX:_}, not {_short(repr(params['k']))}")
    if action == "suppress_below" and "p" in params and not _within(params["p"], 0, 100):
        fail(f"p must be a number from 0 to 100 (per cent), not {_short(repr(params['p']))}")
    if action == "round_to":
        base = params["base"]
        if not _within(base, BASE_MIN, BASE_MAX):
            fail(f"base must be a number from {BASE_MIN:g} to {BASE_MAX:g}, not {_short(repr(base))}")
        columns = dataset_columns()[dataset]
        whole = [f for f in fields if columns[f].startswith(WHOLE_TYPES)]
        if whole and not float(base).is_integer():
            fail(f"base must be a whole number for {whole[0]} (a column of whole numbers), not {base!r}")
    if action == "embargo_days" and not 0 <= params["days"] <= DAYS_MAX:
        fail(f"days must be a whole number from 0 to {DAYS_MAX:_}, not {_short(repr(params['days']))}")
    return params


def _within(value: int | float, low: float, high: float) -> bool:
    """low <= value <= high for a finite value (NaN, inf and ints too large for a float are outside)."""
    try:
        number = float(value)
    except OverflowError:
        return False
    return math.isfinite(number) and low <= number <= high
