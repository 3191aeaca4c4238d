"""Field sources a profile can state beyond a column or a constant: a template over columns, a stable hash of
columns, and a generated record number. They give an id to a file that has none, or a non-unique one (a GeoJSON
whose `id` repeats), without code: `project_id = { generate = "record_number", prefix = "fence-" }`,
`notice_id = { hash = ["Country", "Year", "Location"] }`, `location_id = { template = "{Port Code}-{Measure}" }`.

Each compiles to one SQL expression over the staged record (see staging._field_sql); column names are resolved
as everywhere else (case-insensitive; None when the file lacks one, so the field is left out like a missing
column). A template whose named cell is empty is empty, so that `columns` alternatives can fall back."""

from __future__ import annotations

import re

GENERATED = {"record_number"}
SOURCES = ("template", "hash", "generate")
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
HASH_CHARS = 16   # hex digits of SHA-256 kept: 64 bits, no collision expected below billions of records


def template_parts(template: str) -> list[tuple[str, bool]]:
    """The template as (text, is_column) parts; `{{` and `}}` stand for literal braces."""
    parts: list[tuple[str, bool]] = []
    position = 0
    escaped = template.replace("{{", "\x00").replace("}}", "\x01")
    for match in PLACEHOLDER.finditer(escaped):
        if match.start() > position:
            parts.append((escaped[position:match.start()], False))
        parts.append((match.group(1).strip(), True))
        position = match.end()
    if position < len(escaped):
        parts.append((escaped[position:], False))
    return [(text.replace("\x00", "{").replace("\x01", "}"), column) for text, column in parts]


def template_problem(template: str) -> str | None:
    """Why a template cannot be used, or None."""
    outside = PLACEHOLDER.sub("", template.replace("{{", "").replace("}}", ""))
    if "{" in outside or "}" in outside:
        return "has an unmatched brace (write {{ or }} for a literal one)"
    if not any(column for _, column in template_parts(template)):
        return "names no column (write columns as {Column name}; a fixed text is a value)"
    return None


def source_sql(spec: dict, resolve, q, record_number: str) -> str | None:
    """The SQL of a template, hash or generate field; None when the file lacks a column it names."""
    if "generate" in spec:
        return f"({record_number})::varchar"
    if "template" in spec:
        pieces = []
        for text, is_column in template_parts(spec["template"]):
            if not is_column:
                pieces.append(f"{q.param(text)}::varchar")
                continue
            column = resolve(text, q)
            if column is None:
                return None
            pieces.append(f"nullif(trim({column}), '')")
        # `||` is NULL when any part is: a template with an empty column is empty (`columns` can fall back)
        return f"({' || '.join(pieces)})"
    columns = [resolve(name, q) for name in spec["hash"]]
    if any(c is None for c in columns):
        return None
    # unit separator between values and a distinct mark for an empty cell, so ("ab", "") and ("a", "b") differ
    joined = ", ".join(f"coalesce(nullif(trim({c}), ''), chr(30))" for c in columns)
    return f"substr(sha256(concat_ws(chr(31), {joined})), 1, {HASH_CHARS})"
