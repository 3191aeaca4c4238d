"""The crossings cube (issue 10): a profile's declared dimensions, checked and staged.

A crossing figure is a cell of a cube: besides its place, reporter, direction, period and measure it may be broken
down by any number of dimensions the publisher gives (nationality, mode, traveller category, ...). A profile
declares them in a [dimensions] table, one entry per dimension:

    [dimensions]
    nationality = { column = "nat", codes = "iso3166", open = ["STATELESS", "UNK"] }
    mode = { column = "type", map = "modes", unmapped = "keep" }

The staged row carries them as one MAP (keys in alphabetical order, so that two rows with the same codes have the
same map and the same key), and the problems of their codes as a list of reasons, both computed in SQL over the
whole file: a code outside a closed code list sends the row to quarantine with a reason naming the dimension; a
code the profile lists as `open` is kept as published (Frontex's stateless and unknown nationalities are figures,
not mistakes). A publisher's own total (`total = "TOTAL"`) is never invented and never summed with its parts:
with `totals = "keep"` (the default) it is loaded as a cell of its own whose code is the reserved `_total` (the
data dictionary says so), with `totals = "drop"` its rows are set aside in quarantine as `publisher_total_dropped`,
so that read = loaded + quarantined still holds and the operator sees what was left out.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

import pycountry

from data_pipeline.errors import UserError

PLACE_KINDS = ("crossing_point", "border_section", "route", "region", "border", "country")
CODE_LISTS = ("iso3166",)  # ISO 3166-1 alpha-3, through pycountry
DIMENSION_KEYS = ("column", "value", "parse", "map", "unmapped", "codes", "open", "total", "totals", "labels")
TOTALS = ("keep", "drop")
TOTAL_CODE = "_total"
_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")


def _fail(path: Path, message: str) -> UserError:
    return UserError(f"profile {path}: {message}")


def code_list(name: str) -> list[str]:
    """The codes of a well-known code list (upper case)."""
    if name == "iso3166":
        return sorted(c.alpha_3 for c in pycountry.countries)
    raise KeyError(name)


def check_dimensions(path: Path, dataset_name: str, raw: dict, vocab: dict, is_builtin_vocabulary) -> dict:
    """The [dimensions] table, validated: a mistake is one line naming the file and the dimension."""
    if not raw:
        return {}
    if dataset_name != "crossings":
        raise _fail(path, f"[dimensions] only applies to the crossings dataset, not {dataset_name}")
    checked = {}
    for name, spec in raw.items():
        where = f"[dimensions] {name}"
        if not _NAME.fullmatch(name):
            raise _fail(path, f"{where}: a dimension name is lower-case letters, digits and _ (like nationality)")
        if isinstance(spec, str):
            spec = {"column": spec}
        if not isinstance(spec, dict):
            raise _fail(path, f"{where} must be a column name or a table like {{ column = \"nat\" }}")
        unknown = [k for k in spec if k not in DIMENSION_KEYS]
        if unknown:
            raise _fail(path, f"{where} has unknown key {', '.join(unknown)} (known: {', '.join(DIMENSION_KEYS)})")
        if ("column" in spec) == ("value" in spec):
            raise _fail(path, f"{where} needs exactly one of column or value")
        for key in ("column", "value", "map", "codes", "total", "parse"):
            if key in spec and (not isinstance(spec[key], str) or not spec[key].strip()):
                raise _fail(path, f"{where} {key} must be a non-empty string")
        if "codes" in spec and spec["codes"] not in CODE_LISTS:
            raise _fail(path, f"{where} codes is '{spec['codes']}', which is not one of {', '.join(CODE_LISTS)}")
        if "open" in spec:
            if "codes" not in spec:
                raise _fail(path, f"{where} open only applies with codes (it lists codes kept beyond the list)")
            if not isinstance(spec["open"], list) or not all(isinstance(c, str) and c.strip() for c in spec["open"]):
                raise _fail(path, f"{where} open must be a list of codes (strings)")
        if "labels" in spec and (not isinstance(spec["labels"], dict) or not all(
                isinstance(v, str) and v.strip() for v in spec["labels"].values())):
            raise _fail(path, f"{where} labels must be a table of code = \"label\" (like {{ STL = \"Stateless\" }})")
        if "totals" in spec:
            if "total" not in spec:
                raise _fail(path, f"{where} totals only applies with total (the publisher's code for its total)")
            if spec["totals"] not in TOTALS:
                raise _fail(path, f"{where} totals is {spec['totals']!r}, which is not one of {', '.join(TOTALS)}")
        if "parse" in spec and spec["parse"] not in ("upper", "lower"):
            raise _fail(path, f"{where} parse is '{spec['parse']}', which is not one of lower, upper")
        if "map" in spec and spec["map"] not in vocab and not is_builtin_vocabulary(spec["map"]):
            raise _fail(path, f"{where} maps through vocabulary '{spec['map']}', which the profile does not define "
                              f"(add a [vocab.{spec['map']}] table)")
        if "unmapped" in spec:
            if "map" not in spec:
                raise _fail(path, f"{where} unmapped only applies with map")
            if spec["unmapped"] not in ("keep", "null", "slug"):
                raise _fail(path, f"{where} unmapped is '{spec['unmapped']}', which is not one of keep, null, slug")
        checked[name] = spec
    return checked


def check_place_kind(path: Path, fields: dict) -> None:
    """A constant place kind outside the list is a typo of the profile, said before any row is read (a column's
    values are checked row by row: unknown_place_kind)."""
    spec = fields.get("place_kind")
    if isinstance(spec, dict) and "value" in spec and spec["value"] not in PLACE_KINDS:
        raise _fail(path, f"[fields] place_kind is {spec['value']!r}, which is not one of {', '.join(PLACE_KINDS)}")


def check_fiscal_start(path: Path, dates: dict) -> int:
    """[dates] fiscal_year_start: the month a fiscal year starts in (10 for the US federal year); 1 = calendar."""
    value = dates.get("fiscal_year_start", 1)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
        raise _fail(path, f"[dates] fiscal_year_start must be a month number from 1 to 12, not {value!r}")
    return value


def code_list_rows(dimensions: dict) -> list[dict]:
    """Per declared dimension: its code list (None: codes kept as published) and the profile's labels of codes
    (codes as the staged rows hold them: upper case when the dimension parses so), for dimension_code_lists."""
    rows = []
    for name, spec in sorted(dimensions.items()):
        labels = spec.get("labels", {})
        codes = [c.strip().upper() if spec.get("parse") == "upper" else c.strip() for c in labels]
        rows.append({"dimension": name, "code_list": spec.get("codes"), "label_codes": codes,
                     "label_texts": [labels[c].strip() for c in labels]})
    return rows


def dimension_selects(dimensions: dict, resolve, q, field_sql: Callable) -> list[str]:
    """The staged `dimensions` MAP and `_dimension_problems` (reasons) as SQL select items; every code list and
    every literal travels as a bound parameter."""
    names = sorted(dimensions)
    values, problems = [], []
    for name in names:
        spec = dimensions[name]
        expr = field_sql({k: v for k, v in spec.items() if k in ("column", "value", "parse", "map", "unmapped")},
                         resolve, q) or "null::varchar"
        if "total" in spec:
            expr = f"(case when upper({expr}) = upper({q.param(spec['total'])}) then {q.param(TOTAL_CODE)} else {expr} end)"
        values.append(expr)
        if spec.get("totals") == "drop":
            problems.append(f"case when {expr} = {q.param(TOTAL_CODE)} then {q.param('publisher_total_dropped')} end")
        problems.append(f"case when {expr} is null then {q.param('missing_' + name)} end")
        if "codes" in spec:
            allowed = [*code_list(spec["codes"]), *(c.strip().upper() for c in spec.get("open", [])), TOTAL_CODE.upper()]
            problems.append(f"case when not list_contains({q.param(allowed)}::varchar[], upper({expr})) "
                            f"then {q.param('unknown_' + name + '_code')} end")
    if not names:
        return ["map()::map(varchar, varchar) as dimensions", "[]::varchar[] as _dimension_problems"]
    return [f"map({q.param(names)}::varchar[], [{', '.join(values)}]) as dimensions",
            f"list_filter([{', '.join(problems)}], lambda r: r is not null) as _dimension_problems"]
