"""Extracts: `borderlens export` from a working database or a release, the extract files of a release, and the
Frictionless datapackage.json that describes them.

Filters name columns checked against the table and bind every value, so no user text reaches SQL.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime
from pathlib import Path

import duckdb

from data_pipeline.export import exports
from data_pipeline.export.cube_extracts import dimension_codes, dimension_columns, dimension_field, dimension_labels
from data_pipeline.datasets import DATASET_NAMES
from data_pipeline.db import connect, memory_limit, sql
from data_pipeline.errors import UserError, io_failure
from data_pipeline.export.licences import licence

EXTRACT_DATASETS = DATASET_NAMES
EXPORTABLE = (*EXTRACT_DATASETS, "borders", "sources")
FORMATS = ("csv", "parquet", "geojson")
CAST_TYPES = ("VARCHAR", "DOUBLE", "BIGINT", "INTEGER", "DATE", "BOOLEAN", "TIMESTAMP")
GEOJSON_COLUMNS = ("area_geojson", "geometry_geojson", "location_cell_geojson")
STATUS_VALUES = ["reported", "withheld_by_publisher", "suppressed", "estimated", "missing", "dropped"]
FRICTIONLESS_TYPES = {"VARCHAR": "string", "DOUBLE": "number", "BIGINT": "integer", "INTEGER": "integer",
                      "DATE": "date", "BOOLEAN": "boolean", "TIMESTAMP": "datetime"}


def export(dataset: str, db=None, release=None, fmt: str = "csv", out=None, where=(), excel: bool = False) -> int:
    """Write one table of a working database (operator's full view) or a release (public view); returns rows."""
    if (db is None) == (release is None):
        raise UserError("export needs exactly one of --db or --release")
    if dataset not in EXPORTABLE:
        raise UserError(f"unknown dataset {dataset!r} ({', '.join(EXPORTABLE)})")
    if fmt not in FORMATS:
        raise UserError(f"unknown format {fmt!r} ({', '.join(FORMATS)})")
    if excel and fmt != "csv":
        raise UserError("--excel applies to --format csv only")
    if release is not None:
        if not Path(release).is_dir():
            raise UserError(f"release folder not found: {release}")
        path = Path(release) / "borderlens.duckdb"
        if not path.is_file():
            raise UserError(f"{release} is not a release folder (no borderlens.duckdb)")
    else:
        path = Path(db)
        if not path.is_file():
            raise UserError(f"database not found: {db}")
    out = Path(out)
    if out.is_dir():
        raise UserError(f"--out names a folder, not a file: {out}")
    if not out.parent.is_dir():
        raise UserError(f"folder for the output does not exist: {out.parent}")
    con = connect(path, read_only=True)
    try:
        columns = table_columns(con)
        if dataset not in columns:
            raise UserError(f"{path} has no table {dataset}")
        filters, params = where_clause(where, columns[dataset], dataset)
        query, names = _rows_query(dataset, filters, dimension_codes(con, dataset, columns[dataset]))
        params = [*params, *names]
        if release is None:  # a working database keeps no row order (parallel inserts): sort for stable files
            query = f"select * from ({query}) as _rows order by all"
        try:
            with exports.replacing(out) as part:
                return _write(con, query, params, fmt, part, excel)
        except duckdb.ConversionException as exc:
            raise UserError(f"--where value does not fit its column: {str(exc).splitlines()[0]}") from None
        except (OSError, duckdb.Error) as exc:
            failure = io_failure(exc)
            if failure is None:
                raise
            raise UserError(f"cannot write {out}: {failure[0]}") from None
    finally:
        con.close()


def table_columns(con) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for table, column, data_type in con.execute(sql("release/table_columns")).fetchall():
        found.setdefault(table, {})[column] = data_type
    return found


def where_clause(where, columns: dict[str, str], dataset: str) -> tuple[str, list]:
    """`COLUMN=VALUE` filters as SQL over quoted, checked column names with bound values (empty VALUE: NULL)."""
    parts, params = [], []
    for item in where or ():
        column, sep, value = item.partition("=")
        column = column.strip()
        if not sep or not column:
            raise UserError(f"--where {item!r}: expected COLUMN=VALUE")
        if column not in columns or '"' in column:
            raise UserError(f"--where {item!r}: unknown column {column!r} in {dataset} "
                            f"(columns: {', '.join(columns)})")
        data_type = columns[column]
        if value == "":
            parts.append(f'"{column}" is null')
        elif data_type.endswith("[]"):
            parts.append(f'list_contains("{column}", ?)')
            params.append(value)
        elif data_type in CAST_TYPES:
            problem = _value_problem(value, data_type)
            if problem:
                raise UserError(f"--where {item!r}: {problem} (column {column} holds {data_type})")
            parts.append(f'"{column}" = cast(? as {data_type})')
            params.append(value)
        else:
            parts.append(f'cast("{column}" as varchar) = ?')
            params.append(value)
    return (" and ".join(parts) or "true"), params


def _value_problem(value: str, data_type: str) -> str | None:
    """Why VALUE cannot stand for a value of the column's type, or None. Checked here because DuckDB's cast
    would round 1.5 to 2 for an integer column and answer with a generic conversion error for the rest."""
    text = value.strip()
    if data_type in ("BIGINT", "INTEGER"):
        return None if re.fullmatch(r"[+-]?\d{1,18}", text) else f"{value!r} is not a whole number"
    if data_type == "DOUBLE":
        try:
            number = float(text)
        except ValueError:
            return f"{value!r} is not a number"
        return None if math.isfinite(number) else f"{value!r} is not a finite number"
    if data_type == "DATE":
        try:
            date.fromisoformat(text)
        except ValueError:
            return f"{value!r} is not a date like 2024-01-31"
    if data_type == "TIMESTAMP":
        try:
            datetime.fromisoformat(text)
        except ValueError:
            return f"{value!r} is not a date and time like 2024-01-31 12:00:00"
    if data_type == "BOOLEAN" and text.lower() not in ("true", "false"):
        return f"{value!r} is not true or false"
    return None


def _rows_query(table: str, filters: str, codes: dict | None = None) -> tuple[str, list[str]]:
    """The extract's query and the parameters of its dimension columns (bound after the filters' own)."""
    if table not in EXPORTABLE:
        raise ValueError(table)
    items, names = dimension_columns(codes or {})
    text = sql("release/extract_rows").replace("{table}", table).replace("{filters}", filters)
    return text.replace("{dimension_columns}", items), names


def _write(con, query: str, params, fmt: str, out: Path, excel: bool = False,
           metadata: dict[str, str] | None = None, digests: dict | None = None) -> int:
    if fmt == "csv":
        return exports.write_csv(con, query, params, out, excel=excel, digests=digests)
    if fmt == "geojson":
        return exports.write_geojson(con, query, params, out, digests)
    import pyarrow.parquet as pq

    exports.write_parquet(con, query, params, out, metadata)
    return pq.ParquetFile(out).metadata.num_rows


# ---------------------------------------------------------------------------------------------- a release's extracts


def write_release_extracts(folder: Path, info: dict) -> dict[Path, dict]:
    """extracts/<dataset>.csv|.parquet|.geojson from the release's own database, and datapackage.json. Returns the
    size and SHA-256 of the extracts hashed as they were written ({path: {"bytes", "sha256"}}), for digests.json."""
    digests: dict[Path, dict] = {}
    con = connect(folder / "borderlens.duckdb", read_only=True)
    try:
        # a connection of its own, so BORDERLENS_MEMORY_LIMIT is set on it too: without, writing the 10M release's
        # extracts alone took 4.5 GB of memory with a 3 GB limit asked for (1.8 GB with it)
        with memory_limit(con):
            columns = table_columns(con)
            sources = [dict(zip(("source_id", "series_id", "dataset", "publisher", "title", "url", "licence",
                                 "version", "synthetic", "sha256"), row))
                       for row in con.execute(sql("release/sources_for_package")).fetchall()]
            descriptions = {(d, f): text
                            for d, f, text in con.execute(sql("release/field_descriptions")).fetchall()}
            codes = {dataset: dimension_codes(con, dataset, columns[dataset]) for dataset in EXTRACT_DATASETS}
            package = datapackage(info, columns, sources, descriptions, codes, dimension_labels(con, columns))
            for dataset in EXTRACT_DATASETS:
                query, names = _rows_query(dataset, "true", codes[dataset])
                for fmt in FORMATS:
                    _write(con, query, names, fmt, folder / "extracts" / f"{dataset}.{fmt}",
                           metadata=parquet_metadata(package), digests=digests)
    finally:
        con.close()
    (folder / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n",
                                             encoding="utf-8")
    return digests


def licence_words(package: dict) -> str:
    """The licences of a datapackage in the publishers' words, as the pages and files name them."""
    return ", ".join(str(x.get("title") or x.get("name")) for x in package.get("licenses", []))


def parquet_metadata(package: dict) -> dict[str, str]:
    """The citation and licences carried inside every Parquet extract, so a copied file still says both."""
    return {"borderlens:citation": str(package.get("citation", "")), "borderlens:licence": licence_words(package)}


def datapackage(info: dict, columns: dict, sources: list[dict], descriptions: dict,
                codes: dict | None = None, labels: dict | None = None) -> dict:
    """A Frictionless Data Package (v1 with Table Schema; list fields and categories as in v2) for the release's
    extracts; a crossings dimension's column lists its codes as published (an enum) and their labels (categories)."""
    licences = sorted({s["licence"] for s in sources if s["licence"]})
    publishers = sorted({s["publisher"] for s in sources if s["publisher"]})
    resources = []
    for dataset in EXTRACT_DATASETS:
        dimensions = (codes or {}).get(dataset, {})
        schema = {"fields": [_field(dataset, name, data_type, descriptions)
                             for name, data_type in columns[dataset].items()]
                  + [dimension_field(name, values, (labels or {}).get(name, {}))
                     for name, values in dimensions.items()],
                  "missingValues": [""]}
        # each dataset's own licences (its sources'): an ODbL source binds that extract, not the others
        own = sorted({s["licence"] for s in sources if s["licence"] and s.get("dataset") == dataset})
        base = {"profile": "tabular-data-resource", "encoding": "utf-8",
                "row_count": info["row_counts"].get(dataset), "licenses": [licence(text) for text in own]}
        resources.append({"name": dataset, "path": f"extracts/{dataset}.csv", "format": "csv",
                          "mediatype": "text/csv", **base, "dialect": {"delimiter": ",", "header": True},
                          "schema": schema})
        resources.append({"name": f"{dataset}-parquet", "path": f"extracts/{dataset}.parquet", "format": "parquet",
                          "mediatype": "application/vnd.apache.parquet", **base, "schema": schema})
        resources.append({"name": f"{dataset}-geojson", "path": f"extracts/{dataset}.geojson", "format": "geojson",
                          "mediatype": "application/geo+json", "encoding": "utf-8", "licenses": base["licenses"],
                          "description": "The same rows as GeoJSON features (RFC 7946, coordinates at 5 decimals)"})
    return {
        "profile": "data-package",   # not tabular-data-package: the GeoJSON resources are not tables
        "name": "borderlens-release",
        "id": info["release_id"],
        "title": "borderlens: open border data (troop-exercise notices, border crossings, infrastructure projects)",
        "version": info["release_id"],
        "created": f"{info['created']}T00:00:00Z",   # a datetime in the spec; the release has a date
        "description": "A release of the borderlens transparency dashboard, redacted by the policy "
                       f"'{info['policy_name']}' (see redactions.json and the release_info table).",
        "citation": f"borderlens release {info['release_id']} ({info['created']}), compiled from data published by "
                    f"{', '.join(publishers) or 'the sources listed'}.",
        "licenses": [licence(text) for text in licences],
        "sources": [_source(s) for s in sources],
        "resources": resources,
    }


def _field(dataset: str, name: str, data_type: str, descriptions: dict) -> dict:
    description = descriptions.get((dataset, name)) or descriptions.get(("*", name))
    field: dict[str, object] = {"name": name}
    if name in GEOJSON_COLUMNS:
        field["type"] = "geojson"
    elif data_type.endswith("[]"):
        field.update(type="list", delimiter=";", itemType="string")
    else:
        field["type"] = FRICTIONLESS_TYPES.get(data_type, "string")
    if name.endswith("_status"):
        subject = name[: -len("_status")]
        description = description or (f"reported, withheld_by_publisher, suppressed, estimated, missing or dropped: "
                                      f"how {subject} was published, and why it is empty when it is")
        field["constraints"] = {"enum": STATUS_VALUES}
    field["description"] = description or name.replace("_", " ")
    return field


def _source(s: dict) -> dict:
    """A Frictionless source (title, path) with borderlens' provenance beside it; empty keys left out."""
    entry = {"title": s["title"] or s["source_id"], "path": s["url"], "publisher": s["publisher"],
             "licence": s["licence"], "licence_id": licence(s["licence"])["name"] if s["licence"] else None,
             "synthetic": bool(s["synthetic"]), "source_id": s["source_id"],
             "version": s["version"], "sha256": s["sha256"]}
    return {k: v for k, v in entry.items() if v is not None}

