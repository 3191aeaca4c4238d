"""A column per dimension in the crossings extracts (issue 10, point 7), with its code list in datapackage.json.

The release keeps a figure's breakdown as one MAP (crossings.dimensions), which a spreadsheet shows as text such as
`{border_type=sea, nationality=BGD}`; a reader filters and pivots by columns, so each extract also carries
`dimension_<name>`, one column per dimension that any row holds (empty where a row has no such breakdown). The
names are read from the table itself; the key of each lookup is a bound parameter, and a name is used as a column
name only if it is the plain form profiles allow (lower-case letters, digits and _).

In datapackage.json each such column lists its codes twice: `constraints.enum` (the codes, which Frictionless
validators check each row against) and `categories` (Table Schema v2: `[{value, label}]`), where the label is the
one the dashboard shows, from the release's dimension_codes table: a country's name for an ISO 3166 code, the
profile's label for a publisher's own code, "not a country code (publisher's own)" for an own code the publisher
does not explain; no label for a code kept as published without a code list. v2 wants labels unique within a
field, so a label that stands for several codes is written with the code, as the dashboard writes it: "… (OOO)".
"""

from __future__ import annotations

import re
from collections import Counter

from data_pipeline.db import sql

PREFIX = "dimension_"
TOTAL = "_total"
TOTAL_LABEL = "the publisher's own total (never computed by borderlens)"
_PLAIN = re.compile(r"[a-z][a-z0-9_]{0,39}")


def dimension_codes(con, dataset: str, columns: dict[str, str]) -> dict[str, list[str]]:
    """Each dimension of the dataset's rows and its codes, as published; none for a table without dimensions."""
    if dataset != "crossings" or "dimensions" not in columns:
        return {}
    rows = con.execute(sql("release/crossings_dimension_codes")).fetchall()
    return {name: list(codes or []) for name, codes in rows if _PLAIN.fullmatch(name)}


def dimension_labels(con, tables) -> dict[str, dict[str, str]]:
    """The label of each dimension's codes, from the release's dimension_codes table (none before it existed)."""
    if "dimension_codes" not in tables:
        return {}
    labels: dict[str, dict[str, str]] = {}
    for dimension, code, label in con.execute(sql("release/dimension_code_labels")).fetchall():
        labels.setdefault(dimension, {})[code] = label
    return labels


def dimension_columns(codes: dict[str, list[str]]) -> tuple[str, list[str]]:
    """The select items `, dimensions[?] as "dimension_<name>"` and their parameters (the names)."""
    items = [f', dimensions[?] as "{PREFIX}{name}"' for name in codes]
    return "".join(items), list(codes)


def categories(values: list[str], labels: dict[str, str]) -> list[dict[str, str]]:
    """Table Schema v2 categories of one dimension column: each code with its label where it has one."""
    named = {code: (TOTAL_LABEL if code == TOTAL else labels.get(code)) for code in values}
    shared = Counter(label for label in named.values() if label is not None)
    entries = []
    for code in values:
        label = named[code]
        if label is None:
            entries.append({"value": code})
        else:
            entries.append({"value": code, "label": label if shared[label] == 1 else f"{label} ({code})"})
    return entries


def dimension_field(name: str, values: list[str], labels: dict[str, str]) -> dict:
    """The Table Schema field of a dimension_<name> column: its codes (enum) and what each means (categories)."""
    return {"name": PREFIX + name, "type": "string", "constraints": {"enum": values},
            "categories": categories(values, labels),
            "description": f"The figure's {name.replace('_', ' ')} (a dimension of the publisher's breakdown; empty "
                           f"for a figure without it). Its codes and their labels are this field's categories: a "
                           f"country's name for an ISO 3166 code, the publisher's label for a code of its own, \"not "
                           f"a country code (publisher's own)\" where the publisher does not say what its code "
                           f"means, none for a code kept as published; {TOTAL} is the publisher's own total, never "
                           f"computed"}
