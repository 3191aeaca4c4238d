"""Value transforms a profile states per field (issue 11, point 3): missing markers of one field, a scale, and many
columns gathered into one list (docs/profiles.md, "Transforms"). Each is checked when the profile is loaded and
becomes a SQL expression over the staged text: values from the profile travel as bound parameters (_Sql.param),
column names come from the file's own header, and nothing runs row by row in Python."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from data_pipeline.errors import UserError

# columns_matching: the list fields it may fill, and which of them may keep unmapped names apart (in the field named)
LIST_FIELDS = ("participating_iso3", "countries_iso3", "funders", "participants_unmapped")
APART = {"participating_iso3": "participants_unmapped"}
MATCHING_OPTIONS = ("map", "unmapped", "missing")   # what goes with columns_matching
# A date field's own formats, and first = "parseable": of several columns, the first whose date reads
DATE_KEYS = ("formats", "first")
DATE_FIELDS = ("notified_on", "start_date", "end_date", "planned_start", "planned_end", "actual_start", "actual_end")


def check(path: Path, where: str, name: str, spec: dict, source: str, check_formats: Callable) -> None:
    """The transform keys of one field spec: missing (a list of strings), scale (a number, not 0), columns_matching
    (a valid regular expression, for a list field, with map, unmapped and missing only)."""
    def fail(message: str) -> UserError:
        return UserError(f"profile {path}: {where} {message}")

    _check_dates(path, where, name, spec, source, check_formats, fail)
    if "missing" in spec:
        markers = spec["missing"]
        if not isinstance(markers, list) or not markers or not all(isinstance(m, str) and m.strip() for m in markers):
            raise fail(f"missing must be a non-empty list of markers like [\"-9\", \"NA\"], not {markers!r}")
        if source not in ("column", "columns_matching"):
            raise fail(f"missing applies only with column or columns_matching, not with {source}")
    if "scale" in spec:
        scale = spec["scale"]
        if isinstance(scale, bool) or not isinstance(scale, (int, float)) or scale == 0:
            raise fail(f"scale must be a number other than 0 (such as 1000 for figures in thousands), not {scale!r}")
        if source != "column":
            raise fail(f"scale applies only with column, not with {source}")
    if source != "columns_matching":
        if spec.get("unmapped") == "apart":
            raise fail("unmapped = \"apart\" applies only with columns_matching")
        return
    if name not in LIST_FIELDS:
        raise fail(f"columns_matching fills a list field ({', '.join(LIST_FIELDS)}), not {name}")
    pattern = spec["columns_matching"]
    if not isinstance(pattern, str) or not pattern.strip():
        raise fail(f"columns_matching must be a regular expression over the header, not {pattern!r}")
    try:
        re.compile(pattern)
    except re.error as exc:
        raise fail(f"columns_matching '{pattern}' is not a valid regular expression ({exc})") from None
    others = [k for k in spec if k not in ("columns_matching", *MATCHING_OPTIONS)]
    if others:
        raise fail(f"{', '.join(others)} cannot go with columns_matching (only {', '.join(MATCHING_OPTIONS)})")
    unmapped = spec.get("unmapped", "keep")
    if unmapped not in ("keep", "apart"):
        raise fail(f"unmapped with columns_matching is keep or apart (a name is never dropped unseen), not "
                   f"{unmapped!r}")
    if unmapped == "apart" and name not in APART:
        raise fail(f"unmapped = \"apart\" keeps names apart for {', '.join(APART)} only")
    if "unmapped" in spec and "map" not in spec:
        raise fail("unmapped only applies with map")


def _check_dates(path: Path, where: str, name: str, spec: dict, source: str, check_formats: Callable,
                 fail: Callable) -> None:
    """formats (a list DuckDB's strptime accepts) and first = "parseable" (with columns), on a date field itself."""
    given = [k for k in DATE_KEYS if k in spec]
    if not given:
        return
    if name not in DATE_FIELDS or where.endswith("]"):
        raise fail(f"{given[0]} goes on a date field ({', '.join(DATE_FIELDS)}) itself, not on {name} or "
                   "an alternative of columns")
    if source not in ("column", "columns"):
        raise fail(f"{given[0]} applies with column or columns, not with {source}")
    if "formats" in spec:
        check_formats(path, spec["formats"], f"{where} formats")
    if "first" in spec and (spec["first"] != "parseable" or source != "columns"):
        raise fail(f"first = \"parseable\" is the one choice, and goes with columns, not {spec['first']!r} "
                   f"with {source}")


def check_estimated(path: Path, dataset: str, markers: dict) -> None:
    """[markers] estimated marks a crossings figure as the publisher's estimate (value_status estimated)."""
    if markers.get("estimated") and dataset != "crossings":
        raise UserError(f"profile {path}: [markers] estimated applies to crossings figures only, not {dataset}")
    if any(not m.strip() for m in markers.get("estimated", [])):
        raise UserError(f"profile {path}: [markers] estimated must not hold an empty marker")


def missing_sql(expr: str, spec: dict, param: Callable) -> str:
    """The cell as missing (NULL) where it is one of the field's own missing markers (trimmed, any case)."""
    if "missing" not in spec:
        return expr
    markers = param([m.strip().lower() for m in spec["missing"]])
    return f"(case when list_contains({markers}::varchar[], lower(trim({expr}))) then null else {expr} end)"


def scale_sql(expr: str, spec: dict, param: Callable, read: dict) -> str:
    """A number times the field's scale, written back as text with the profile's decimal mark (the typed SQL reads
    it as any number); text that is no number (a withheld marker, a typo) is left as it is, for the checks."""
    if "scale" not in spec:
        return expr
    decimal, thousands = param(read.get("decimal", ".")), param(read.get("thousands", ","))
    scaled = f"round(bl_number({expr}, {decimal}, {thousands}) * {param(float(spec['scale']))}, 6)"
    return f"coalesce(replace({scaled}::varchar, '.', {decimal}), {expr})"


def _items(spec: dict, header: list[str], resolve, q) -> str | None:
    """The non-empty cells of the header's columns that match, in the header's order, less the missing markers."""
    pattern = re.compile(spec["columns_matching"])
    cells = [resolve(h, q) for h in header if pattern.fullmatch(h.strip())]
    cells = [c for c in cells if c]
    if not cells:
        return None
    markers = q.param([m.strip().lower() for m in spec.get("missing", [])])
    listed = ", ".join(f"nullif(trim({c}), '')" for c in cells)
    return (f"list_filter([{listed}], lambda item: item is not null "
            f"and not list_contains({markers}::varchar[], lower(item)))")


def _joined(items: str) -> str:
    return f"nullif(array_to_string({items}, ';'), '')"


def matching_sql(spec: dict, header: list[str], resolve, q) -> str | None:
    """columns_matching: one ';' list of the cells, each mapped through the vocabulary when the spec names one (a
    name it does not map is kept as published, or with unmapped = "apart" left to its own field)."""
    items = _items(spec, header, resolve, q)
    if items is None or "map" not in spec:
        return None if items is None else _joined(items)
    vocab = q.vocab(spec["map"])
    if spec.get("unmapped", "keep") == "apart":
        return _joined(f"list_filter(list_transform({items}, lambda item: {vocab}[lower(item)]), "
                       "lambda code: code is not null)")
    return _joined(f"list_transform({items}, lambda item: coalesce({vocab}[lower(item)], item))")


def apart_sql(spec: dict, header: list[str], resolve, q) -> str | None:
    """The names a columns_matching field with unmapped = "apart" could not map, as published, as a ';' list."""
    items = _items(spec, header, resolve, q)
    if items is None:
        return None
    return _joined(f"list_filter({items}, lambda item: {q.vocab(spec['map'])}[lower(item)] is null)")


def parseable_first(parts: list[str], formats: list[str], unknown: list[str], param: Callable) -> list[str]:
    """The alternatives of a date field as coalesce's arguments: each one only where it reads as a date (by the
    field's formats, with the profile's unknown-part markers), then each as given, so a row none of them fits
    keeps the first text given and is quarantined as unparseable_date."""
    fmts, marks = param(list(formats)), param(list(unknown))
    read = [f"(case when bl_date_read({p}, {fmts}::varchar[], {marks}::varchar[]) is not null then {p} end)"
            for p in parts]
    return read + parts
