"""SQL templating for publishing: sql/release/*.sql with identifiers filled in from fixed allow-lists.

Shared by the policy steps and the release writer, so that the one place that splices text into SQL is small
and can be read whole: only identifiers and fragments that code chose, never user text (values are bound).
"""

from __future__ import annotations

import re

from data_pipeline.publish import policy as policies
from data_pipeline.datasets import DATASET_NAMES
from data_pipeline.db import sql

DATASETS = DATASET_NAMES
REFERENCE_TABLES = ("borders", "countries", "vd_thresholds")
BORDER_COLUMN = {"crossings": "border_id", "exercise_notices": "nearest_border_id",
                 "infrastructure_projects": "nearest_border_id"}


def checked(name: str | None, allowed) -> str:
    """An identifier for a SQL template, only ever one from a fixed allow-list (and never one with a quote)."""
    if name is None or name not in allowed or '"' in name:
        raise ValueError(f"identifier {name!r} is not allowed here")
    return name


def render(name: str, **parts: str) -> str:
    """sql/<name>.sql with {placeholders} filled by identifiers and fragments that code chose, never user text."""
    text = sql(name)
    for key, value in parts.items():
        text = text.replace("{" + key + "}", value)
    leftover = re.search(r"\{[a-z_]+\}", text)
    if leftover:
        raise ValueError(f"{name}: {leftover.group(0)} not filled")
    return text


def run(con, name: str, params=None, **parts):
    return con.execute(render(name, **parts), params or []).fetchall()


def flag(rule: policies.Rule) -> str:
    """The scratch column that marks the rows a rule's condition selected."""
    return f"_r{rule.number}"
