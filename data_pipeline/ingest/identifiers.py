"""The few identifiers ingest code writes into SQL text itself (DuckDB takes no parameter in their place): the name of
a session variable (`set variable NAME = $value`) and the kind and name of a working relation to drop. None comes from
a publisher's file or a profile; each is checked here, against a strict pattern or a fixed allow-list, so that a
mistake in our own code raises instead of becoming SQL. Every value travels as a bound parameter."""

from __future__ import annotations

import re

VARIABLE = re.compile(r"bl_[a-z][a-z0-9_]*")           # bl_source_id, bl_stg_p0, bl_stg_v1, ...
DROPPABLE = {"view": {"_typed", "_incoming"}, "table": {"_typed", "_incoming"}}   # a dataset makes one or the other


def variable(name: str) -> str:
    """name, if it is one of our session variables' names (bl_ and lower-case letters, digits, underscores)."""
    if not isinstance(name, str) or not VARIABLE.fullmatch(name):
        raise ValueError(f"not a borderlens session variable name: {name!r}")
    return name


def set_variable(name: str) -> str:
    """`set variable NAME = $value`, the value bound by the caller."""
    return f"set variable {variable(name)} = $value"


def drop(kind: str, name: str) -> str:
    """`drop KIND NAME` for a working relation of the allow-list."""
    if name not in DROPPABLE.get(kind, ()):
        raise ValueError(f"not a working relation ingest may drop: {kind} {name!r}")
    return f"drop {kind} {name}"
