"""Validation of profile files: every section, key and value a profile may hold, checked before any data is
read, so that a mistake is one line naming the file, the section and the key (docs/profiles.md)."""

from __future__ import annotations

import difflib
import io
import json
import re
import threading
import tomllib
from datetime import date, datetime
from functools import cache
from pathlib import Path

from data_pipeline.ingest.cube import check_dimensions, check_fiscal_start, check_place_kind
from data_pipeline.datasets import DATASETS, Dataset
from data_pipeline.errors import UserError
from data_pipeline.ingest.field_sources import GENERATED, SOURCES as GENERATING, template_problem
from data_pipeline.ingest import row_filters, transforms
from data_pipeline.ingest.vocabularies import is_builtin_vocabulary

FORMATS = {"csv", "json", "geojson", "xlsx", "xls", "ods"}
SHEETS = {"xlsx", "xls", "ods"}
TEXT_ONLY_KEYS = ("delimiter", "quote", "encoding", "records", "properties")  # not for a workbook
SHAPES = {"long", "wide"}
PARSERS = {"wkt_lon", "wkt_lat", "upper", "lower", "json_list"}
UNMAPPED = {"keep", "null", "slug", "apart"}
FIELD_SOURCES = ("column", "columns", "value", "document", "template", "hash", "generate",  # exactly one per field
                 "columns_matching")
FIELD_OPTIONS = ("parse", "pad", "prefix", "map", "unmapped", "missing", "scale")  # with column (transforms.py)
FIELD_KEYS = FIELD_SOURCES + FIELD_OPTIONS + transforms.DATE_KEYS
# The sections and keys a profile may use (docs/profiles.md); anything else is a typo, reported as one.
PROFILE_KEYS = ("name", "dataset", "title", "publisher", "url", "licence", "series", "synthetic", "public")
DETECT_KEYS = ("columns",)
READ_KEYS = ("format", "delimiter", "quote", "encoding", "decimal", "thousands", "skip_lines", "shape",
             "value_columns", "records", "properties", "sheet")
DATES_KEYS = ("formats", "earliest", "latest", "fiscal_year_start", "unknown")
MARKER_KINDS = ("withheld", "missing", "estimated")
SECTIONS = ("profile", "detect", "read", "dates", "markers", "fields", "vocab", "dimensions", "rows")
_STRPTIME_ACCEPTS: set[str] = set()  # date formats DuckDB has accepted in this process
_STRPTIME_LOCK = threading.Lock()


def _fail(path: Path, message: str) -> UserError:
    return UserError(f"profile {path}: {message}")


def _show(value) -> str:
    """A value as the profile wrote it, shortened for a one-line message (a string with a backslash, such as a
    regular expression, as a TOML literal string, so its backslashes are not doubled)."""
    if isinstance(value, str) and "\\" in value and "'" not in value and "\n" not in value:
        text = f"'{value}'"
    else:
        text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(value) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)


def _unknown(path: Path, where: str, what: str, names: list[str], known) -> UserError:
    """Unknown key(s) or section(s), with the closest known name for the first one."""
    close = difflib.get_close_matches(names[0], list(known), n=1)
    hint = f"; did you mean {close[0]}?" if close else ""
    return _fail(path, f"{where} has unknown {what} {', '.join(names)}{hint} (known: {', '.join(known)})")


def _string(path: Path, where: str, value, allowed=None, empty: bool = False) -> str:
    if not isinstance(value, str):
        raise _fail(path, f"{where} must be a string, not {_kind(value)} ({_show(value)})")
    if not empty and not value.strip():
        raise _fail(path, f"{where} must not be empty")
    if allowed is not None and value not in allowed:
        raise _fail(path, f"{where} is '{value}', which is not one of {', '.join(allowed)}")
    return value


def _integer(path: Path, where: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise _fail(path, f"{where} must be a whole number of at least {minimum}, not {_show(value)}")
    return value


def _char(path: Path, where: str, value, allow_empty: bool = False) -> str:
    if not isinstance(value, str) or len(value) > 1 or (len(value) == 0 and not allow_empty):
        raise _fail(path, f"{where} must be a single character{' (or empty)' if allow_empty else ''}, "
                          f"not {_show(value)}")
    return value


def _strings(path: Path, where: str, value, non_empty: bool = False) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, f"{where} must be a list of strings, like [\"a\", \"b\"], not {_show(value)}")
    if non_empty and not value:
        raise _fail(path, f"{where} must not be empty")
    return value


def _known_keys(path: Path, section: str, table: dict, allowed) -> None:
    unknown = [k for k in table if k not in allowed]
    if unknown:
        raise _unknown(path, f"[{section}]", "key(s)" if len(unknown) > 1 else "key", unknown, allowed)


def _sections(path: Path, raw: dict) -> None:
    """Only the documented sections, each a table."""
    for name, value in raw.items():
        if name not in SECTIONS:
            if isinstance(value, dict):
                raise _unknown(path, "the file", "section", [f"[{name}]"], [f"[{s}]" for s in SECTIONS])
            raise _fail(path, f"key '{name}' is outside any section (put it under one of "
                              f"{', '.join(f'[{s}]' for s in SECTIONS)})")
        if not isinstance(value, dict):
            raise _fail(path, f"'{name}' must be a section [{name}], not {_kind(value)} ({_show(value)})")


def _check_meta(path: Path, meta: dict) -> Dataset:
    _known_keys(path, "profile", meta, PROFILE_KEYS)
    for key in ("name", "dataset"):
        if key not in meta:
            raise _fail(path, f"[profile] needs '{key}'")
    _string(path, "[profile] name", meta["name"])
    dataset = meta["dataset"]
    if not isinstance(dataset, str) or dataset not in DATASETS:
        raise _fail(path, f"unknown dataset {_show(dataset)} in [profile] dataset (known: {', '.join(DATASETS)})")
    for key in ("title", "publisher", "url", "licence", "series"):
        if key in meta:
            _string(path, f"[profile] {key}", meta[key])
    for key in ("synthetic", "public"):
        if key in meta and not isinstance(meta[key], bool):
            raise _fail(path, f"[profile] {key} must be true or false, not {_show(meta[key])}")
    return DATASETS[dataset]


def _check_read(path: Path, read: dict) -> None:
    _known_keys(path, "read", read, READ_KEYS)
    fmt = read.get("format", "csv")
    if not isinstance(fmt, str) or fmt not in FORMATS:
        raise _fail(path, f"unknown format {_show(fmt)} in [read] format (known: {', '.join(sorted(FORMATS))})")
    _check_sheet(path, fmt, read)
    shape = read.get("shape", "long")
    if not isinstance(shape, str) or shape not in SHAPES:
        raise _fail(path, f"unknown shape {_show(shape)} in [read] shape (known: long, wide)")
    if shape == "wide" and "value_columns" not in read:
        raise _fail(path, "a wide layout needs [read] value_columns (a regular expression over the header)")
    if "value_columns" in read:
        if shape != "wide":
            raise _fail(path, "[read] value_columns is only read in a wide layout: add shape = \"wide\" to [read] "
                              "or drop value_columns")
        pattern = _string(path, "[read] value_columns", read["value_columns"])
        try:
            re.compile(pattern)
        except re.error as exc:
            raise _fail(path, f"[read] value_columns {_show(pattern)} is not a valid regular expression ({exc})") \
                from None
    delimiter = _char(path, "[read] delimiter", read.get("delimiter", ","))
    quote = _char(path, "[read] quote", read.get("quote", '"'), allow_empty=True)  # "": no quoting
    if delimiter == quote:
        raise _fail(path, f"[read] delimiter and quote are both {_show(quote)}")
    if "encoding" in read:
        encoding = _string(path, "[read] encoding", read["encoding"])
        try:
            io.TextIOWrapper(io.BytesIO(), encoding=encoding)
        except LookupError:
            raise _fail(path, f"[read] encoding '{encoding}' is not a text encoding Python knows "
                              f"(e.g. utf-8, utf-16, latin-1, cp1252)") from None
    decimal = _char(path, "[read] decimal", read.get("decimal", "."))
    thousands = _char(path, "[read] thousands", read.get("thousands", ","), allow_empty=True)
    if decimal == thousands:
        said = "" if "thousands" in read else " (its default)"
        raise _fail(path, f"[read] decimal and thousands{said} are both {_show(decimal)}; set thousands to the "
                          f"other mark, e.g. thousands = \".\" or \"\"")
    if "skip_lines" in read:
        _integer(path, "[read] skip_lines", read["skip_lines"], 0)
    for key in ("records", "properties"):
        if key in read:
            _string(path, f"[read] {key}", read[key])


def _check_sheet(path: Path, fmt: str, read: dict) -> None:
    """A workbook's sheet: a name, or a number from 1 (the first sheet by default); text-file keys do not apply."""
    if fmt not in SHEETS:
        if "sheet" in read:
            raise _fail(path, f"[read] sheet is only read from a workbook (format xlsx, xls or ods), not {fmt}")
        return
    given = [k for k in TEXT_ONLY_KEYS if k in read]
    if given:
        raise _fail(path, f"[read] {given[0]} does not apply to a workbook ([read] format = \"{fmt}\")")
    sheet = read.get("sheet", 1)
    if isinstance(sheet, str):
        _string(path, "[read] sheet", sheet)
    else:
        _integer(path, "[read] sheet (a name, or a number from 1)", sheet, 1)


def _check_date_formats(path: Path, formats, where: str = "[dates] formats") -> None:
    """Each format must be one DuckDB's strptime accepts: asked of DuckDB itself, once per format and process."""
    _strings(path, where, formats, non_empty=True)
    unchecked = [f for f in formats if f not in _STRPTIME_ACCEPTS]
    if not unchecked:
        return
    import duckdb

    con = _strptime_checker()
    for fmt in unchecked:
        try:
            with _STRPTIME_LOCK:  # a connection serves one statement at a time
                con.execute("select try_strptime('x', ?)", [fmt]).fetchall()
        except duckdb.Error as exc:
            reason = str(exc).splitlines()[0]
            reason = reason.split(f"Failed to parse format specifier {fmt}: ", 1)[-1]
            raise _fail(path, f"{where}: {_show(fmt)} is not a strptime format DuckDB accepts "
                              f"({reason})") from None
        _STRPTIME_ACCEPTS.add(fmt)


@cache
def _strptime_checker():
    """One in-memory DuckDB connection per process for the format checks: opening one per profile cost about 5 ms
    each, 0.045 s of every `borderlens ingest` (it checks every built-in profile)."""
    import duckdb

    return duckdb.connect()


def _check_date_window(path: Path, dates: dict, dataset: Dataset) -> tuple[date, date]:
    """The plausible dates of the profile's rows: the dataset's window, or the profile's earliest / latest (a TOML
    date like 1850-01-01, or the same as a string); a date outside is quarantined as date_out_of_range."""
    window = []
    for key, default in zip(("earliest", "latest"), dataset.plausible_dates):
        value = dates.get(key, default)
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                value = None
        if not isinstance(value, date) or isinstance(value, datetime):
            raise _fail(path, f"[dates] {key} must be a date like 1850-01-01, not {_show(dates.get(key))}")
        window.append(value)
    if window[0] > window[1]:
        raise _fail(path, f"[dates] earliest ({window[0]}) is after latest ({window[1]})")
    return window[0], window[1]


def _check_vocab(path: Path, raw_vocab: dict) -> dict:
    """Each [vocab.NAME] a table of publisher's word = canonical value, both strings; keys compared
    case-insensitively, so two spellings of one key must agree."""
    vocab = {}
    for name, table in raw_vocab.items():
        if not isinstance(table, dict):
            raise _fail(path, f"[vocab] {name} must be a table [vocab.{name}] of \"publisher's word\" = "
                              f"\"canonical value\", not {_kind(table)} ({_show(table)})")
        entries: dict[str, str] = {}
        for key, value in table.items():
            if not isinstance(value, str):
                raise _fail(path, f"[vocab.{name}] {_show(key)} must be a string, not {_kind(value)} "
                                  f"({_show(value)})")
            folded = key.strip().lower()
            if entries.get(folded, value) != value:
                raise _fail(path, f"[vocab.{name}] {_show(key)} is given twice (case-insensitively) with different "
                                  f"values {_show(entries[folded])} and {_show(value)}")
            entries[folded] = value
        vocab[name] = entries
    return vocab


def _check_field(path: Path, dataset: Dataset, fmt: str, name: str, spec, vocab: dict,
                 where: str | None = None) -> None:
    """One [fields] entry: a column name, or a table with exactly one source (column, columns, value,
    document) and, with column only, the options parse, pad, prefix, map, unmapped."""
    if where is None:
        where = f"[fields] {name}"
        if name not in dataset.staged_fields:
            raise _fail(path, f"unknown field '{name}' in [fields] for dataset {dataset.name} "
                              f"(known: {', '.join(dataset.staged_fields)})")
    if isinstance(spec, str):
        _string(path, where, spec)
        return
    if not isinstance(spec, dict):
        raise _fail(path, f"{where} must be a column name or a table like {{ column = \"...\" }}, "
                          f"not {_kind(spec)} ({_show(spec)})")
    unknown = [k for k in spec if k not in FIELD_KEYS]
    if unknown:
        raise _unknown(path, where, "key(s)" if len(unknown) > 1 else "key", unknown, FIELD_KEYS)
    sources = [k for k in FIELD_SOURCES if k in spec]
    if len(sources) != 1:
        said = f"has {' and '.join(sources)}" if sources else "has none"
        raise _fail(path, f"{where} needs exactly one of {', '.join(FIELD_SOURCES)} ({said})")
    source = sources[0]
    options = [k for k in FIELD_OPTIONS if k in spec and not (k == "prefix" and source in GENERATING)
               and not (source == "columns_matching" and k in transforms.MATCHING_OPTIONS)]
    if options and source != "column":
        inside = " (put them in each alternative of columns)" if source == "columns" else ""
        verb = "applies" if len(options) == 1 else "apply"
        raise _fail(path, f"{where}: {', '.join(options)} {verb} only with column, not with {source}{inside}")
    if source == "column":
        _string(path, f"{where} column", spec["column"])
    elif source == "columns":
        alternatives = spec["columns"]
        if not isinstance(alternatives, list) or not alternatives:
            raise _fail(path, f"{where} columns must be a non-empty list of alternatives like "
                              f"[{{ column = \"A\" }}, {{ column = \"B\" }}], not {_show(alternatives)}")
        for number, alternative in enumerate(alternatives, start=1):
            _check_field(path, dataset, fmt, name, alternative, vocab, f"{where} columns[{number}]")
    elif source in GENERATING:
        _check_generating(path, where, source, spec[source])
    elif source == "value":
        if isinstance(spec["value"], (list, dict)):
            raise _fail(path, f"{where} value must be a string, number or boolean, not {_show(spec['value'])}")
    elif source == "document":
        _string(path, f"{where} document", spec["document"])
        if fmt not in ("json", "geojson"):
            raise _fail(path, f"{where} document only applies to json and geojson files, not [read] format = "
                              f"\"{fmt}\"")
    transforms.check(path, where, name, spec, source, _check_date_formats)
    if "parse" in spec:
        _string(path, f"{where} parse", spec["parse"], sorted(PARSERS))
    if "pad" in spec:
        _integer(path, f"{where} pad", spec["pad"], 1)
    if "prefix" in spec:
        _string(path, f"{where} prefix", spec["prefix"], empty=True)
    if "map" in spec:
        vocabulary = _string(path, f"{where} map", spec["map"])
        if vocabulary not in vocab and not is_builtin_vocabulary(vocabulary):
            raise _fail(path, f"{where} maps through vocabulary '{vocabulary}', which the profile does not define "
                              f"(add a [vocab.{vocabulary}] table)")
    if "unmapped" in spec:
        if "map" not in spec:
            raise _fail(path, f"{where} unmapped only applies with map")
        _string(path, f"{where} unmapped", spec["unmapped"], sorted(UNMAPPED))


def _check_generating(path: Path, where: str, source: str, value) -> None:
    """template (a string naming columns as {Column}), hash (a non-empty list of column names) or generate
    (record_number); each also takes prefix."""
    if source == "template":
        problem = template_problem(_string(path, f"{where} template", value))
        if problem:
            raise _fail(path, f"{where} template {_show(value)} {problem}")
    elif source == "hash":
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise _fail(path, f"{where} hash must be a non-empty list of column names, not {_show(value)}")
    else:
        _string(path, f"{where} generate", value, sorted(GENERATED))


def _read_toml(path: Path) -> dict:
    if not path.is_file():
        raise UserError(f"profile not found: {path}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(path, f"cannot read the file ({exc.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise _fail(path, f"not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}); save the profile as "
                          f"UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(path, f"not valid TOML: {exc}") from None


def checked(path: Path) -> dict:
    """The parts of a profile file, each validated: one UserError naming the file, section and key otherwise."""
    raw = _read_toml(path)
    _sections(path, raw)
    dataset = _check_meta(path, raw.get("profile", {}))
    meta = raw.get("profile", {})
    read = raw.get("read", {})
    _check_read(path, read)
    fmt = read.get("format", "csv")
    detect = raw.get("detect", {})
    _known_keys(path, "detect", detect, DETECT_KEYS)
    detect_columns = _strings(path, "[detect] columns", detect.get("columns", []))
    dates = raw.get("dates", {})
    _known_keys(path, "dates", dates, DATES_KEYS)
    date_formats = dates.get("formats", ["%Y-%m-%d"])
    _check_date_formats(path, date_formats)
    date_window = _check_date_window(path, dates, dataset)
    unknown_parts = [m.strip() for m in _strings(path, "[dates] unknown", dates.get("unknown", []))]
    if any(not m for m in unknown_parts):
        raise _fail(path, "[dates] unknown must not hold an empty marker (it would stand for every part)")
    if unknown_parts and dataset.name not in ("exercise_notices", "infrastructure_projects"):
        raise _fail(path, f"[dates] unknown applies to exercise_notices and infrastructure_projects only (a "
                          f"{dataset.name} period is its own precision)")
    markers = raw.get("markers", {})
    _known_keys(path, "markers", markers, MARKER_KINDS)
    for kind, values in markers.items():
        _strings(path, f"[markers] {kind}", values)
    transforms.check_estimated(path, dataset.name, markers)
    vocab = _check_vocab(path, raw.get("vocab", {}))
    fields = raw.get("fields", {})
    for name, spec in fields.items():
        _check_field(path, dataset, fmt, name, spec, vocab)
    check_place_kind(path, fields)
    missing = [f for f in dataset.required_fields if f not in fields]
    if missing:
        raise _fail(path, f"[fields] must say where {', '.join(missing)} come from")
    return {"dataset": dataset, "meta": meta, "read": read, "detect_columns": tuple(detect_columns),
            "fields": fields, "vocab": vocab, "date_formats": tuple(date_formats), "markers": markers,
            "date_window": date_window, "fiscal_year_start": check_fiscal_start(path, dates),
            "unknown_parts": tuple(unknown_parts), "rows": row_filters.check(path, raw.get("rows", {})),
            "dimensions": check_dimensions(path, dataset.name, raw.get("dimensions", {}), vocab, is_builtin_vocabulary)}
