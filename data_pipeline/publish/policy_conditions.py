"""`when` conditions of policy rules: a small language compiled to parameterised SQL. Column names come only from
the dataset's schema, values are bound (docs/policy.md)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from data_pipeline.publish.policy_schema import NUMERIC_TYPES, WHOLE_TYPES

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


_TOKEN = re.compile(r"""\s*(?:(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?![A-Za-z_])
                        |(?P<string>'(?:[^']|'')*')
                        |(?P<op><=|>=|!=|<>|=|<|>)
                        |(?P<punct>[(),])
                        |(?P<word>[A-Za-z_][A-Za-z0-9_]*))""", re.X)
KEYWORDS = {"and", "or", "not", "is", "null", "in", "true", "false"}
ORDER_OPS = ("<", "<=", ">", ">=")


def _tokens(text: str) -> list[tuple[str, object]]:
    tokens: list[tuple[str, object]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos or m.lastgroup is None:
            raise ValueError(f"cannot read {text[pos:].strip()[:20]!r}")
        pos = m.end()
        kind = m.lastgroup
        word = m.group(kind)
        value: object = word
        if kind == "number":
            value = float(word) if any(c in word for c in ".eE") else int(word)
        elif kind == "string":
            value = word[1:-1].replace("''", "'")
        elif kind == "word" and word.lower() in KEYWORDS:
            kind, value = "kw", word.lower()
        elif kind == "op" and word == "<>":
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
        raise ValueError(f"{shortened(str(value))} is out of range for {column} (not a finite number)")
    return number


def shortened(text: str, limit: int = 60) -> str:
    """text, cut to limit characters with "..." (for values quoted in a one-line error)."""
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
