"""Row filters a profile states (issue 11, point 3): rows that are not records — a title or note line inside the
table, the publisher's total row — are set aside by the profile's [rows] skip rules, never lost: each goes to the
quarantine as `skipped_by_profile` with its raw record, so that read = loaded + quarantined still holds
(docs/profiles.md, "Row filters"). The rule's pattern travels as a bound parameter; the column comes from the
file's own header."""

from __future__ import annotations

import re
from pathlib import Path

from data_pipeline.errors import UserError

RULE_KEYS = ("column", "matches", "empty")


def check(path: Path, rows: dict) -> list[dict]:
    """[rows] skip = [{ column = "Port Name", matches = '(?i)total.*' }, { column = "Value", empty = true }]: each
    rule names a column and either a regular expression the whole trimmed cell matches, or empty = true."""
    def fail(message: str) -> UserError:
        return UserError(f"profile {path}: [rows] {message}")

    unknown = [k for k in rows if k != "skip"]
    if unknown:
        raise fail(f"has unknown key(s) {', '.join(unknown)} (known: skip)")
    rules = rows.get("skip", [])
    if not isinstance(rules, list) or not all(isinstance(r, dict) for r in rules):
        raise fail("skip must be a list of rules like [{ column = \"Port Name\", matches = '(?i)total.*' }]")
    for number, rule in enumerate(rules, start=1):
        where = f"skip[{number}]"
        others = [k for k in rule if k not in RULE_KEYS]
        if others:
            raise fail(f"{where} has unknown key(s) {', '.join(others)} (known: {', '.join(RULE_KEYS)})")
        if not isinstance(rule.get("column"), str) or not rule["column"].strip():
            raise fail(f"{where} needs column, the name of a column of the file")
        if ("matches" in rule) == ("empty" in rule):
            raise fail(f"{where} needs exactly one of matches (a regular expression) and empty = true")
        if "empty" in rule and rule["empty"] is not True:
            raise fail(f"{where} empty must be true (leave it out otherwise), not {rule['empty']!r}")
        if "matches" in rule:
            if not isinstance(rule["matches"], str) or not rule["matches"]:
                raise fail(f"{where} matches must be a regular expression, not {rule['matches']!r}")
            try:
                re.compile(rule["matches"])
            except re.error as exc:
                raise fail(f"{where} matches '{rule['matches']}' is not a valid regular expression ({exc})") from None
    return rules


def skip_sql(rules: list[dict], resolve, q, where: str) -> str:
    """True for a row one rule sets aside (a SQL expression over the staged source); a rule's column must be in the
    file, else the file is not of the profile's layout."""
    tests = []
    for rule in rules:
        column = resolve(rule["column"], q)
        if column is None:
            raise UserError(f"{where}: column '{rule['column']}' named by [rows] skip is not in the file")
        cell = f"coalesce(trim({column}), '')"
        tests.append(f"({cell} = '')" if rule.get("empty") else
                     f"regexp_full_match({cell}, {q.param(rule['matches'])})")
    return f"({' or '.join(tests) or 'false'})"
