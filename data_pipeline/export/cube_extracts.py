"""A column per dimension in the crossings extracts (issue 10, point 7), with its code list in datapackage.json.

The release keeps a figure's breakdown as one MAP (crossings.dimensions), which a spreadsheet shows as text such as
`{border_type=sea, nationality=BGD}`; a reader filters and pivots by columns, so each extract also carries
`dimension_<name>`, one column per dimension that any row holds (empty where a row has no such breakdown). The
names are read from the table itself; the key of each lookup is a bound parameter, and a name is used as a column
name only if it is the plain form profiles allow (lower-case letters, digits and _).
"""

from __future__ import annotations

import re

from data_pipeline.db import sql

PREFIX = "dimension_"
_PLAIN = re.compile(r"[a-z][a-z0-9_]{0,39}")


def dimension_codes(con, dataset: str, columns: dict[str, str]) -> dict[str, list[str]]:
    """Each dimension of the dataset's rows and its codes, as published; none for a table without dimensions."""
    if dataset != "crossings" or "dimensions" not in columns:
        return {}
    rows = con.execute(sql("release/crossings_dimension_codes")).fetchall()
    return {name: list(codes or []) for name, codes in rows if _PLAIN.fullmatch(name)}


def dimension_columns(codes: dict[str, list[str]]) -> tuple[str, list[str]]:
    """The select items `, dimensions[?] as "dimension_<name>"` and their parameters (the names)."""
    items = [f', dimensions[?] as "{PREFIX}{name}"' for name in codes]
    return "".join(items), list(codes)
