"""Download bytes for a view: exactly the rows and columns a page shows, as CSV, Parquet or GeoJSON, and the
release's prebuilt extracts with their data dictionary, licence and citation.

Pure Python (no Streamlit). Every writer goes through data_pipeline.export.exports, so a table downloaded from a page
is neutralised exactly like a published extract (docs/sharing.md, "CSV files that open safely").
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import pyarrow as pa

from data_pipeline.export import exports
from data_pipeline.export.extracts import licence_words
from data_pipeline.release_addresses import FILES_URL_ENV

EXTRACT_FORMATS = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet",
                   "geojson": "application/geo+json"}
MIME = {**EXTRACT_FORMATS, "svg": "image/svg+xml", "png": "image/png", "atom": "application/atom+xml"}


# A column a page shows as words stands, in a download, for the columns it was written from: the number as a
# number and its status beside it, so nobody parses "29,950", "120,000,000 EUR" or "+3.3%" back.
ANALYSIS_COLUMNS = {
    "troops_text": ("troops", "troops_status"),
    "battle_tanks_text": ("battle_tanks", "battle_tanks_status"),
    "budget_text": ("budget", "currency", "budget_status"),
    "funders_text": ("funders", "funders_status"),
    "change": ("change_pct", "change_status"),
    "starts_text": ("start_date", "start_date_precision"),   # a date to the month or year, with how exact it is
    "ends_text": ("end_date", "end_date_precision"),
    "planned_start_text": ("planned_start", "planned_start_precision"),
    "planned_end_text": ("planned_end", "planned_end_precision"),
    "actual_start_text": ("actual_start", "actual_start_precision"),
    "actual_end_text": ("actual_end", "actual_end_precision"),
}


def analysis_frame(shown: list[str], rows: pd.DataFrame) -> pd.DataFrame:
    """The download of a table: its shown columns, each worded one replaced by its number and status columns
    (where rows has them), and dates that hold no time as dates (ISO 8601, no 00:00:00)."""
    columns: list[str] = []
    for column in shown:
        raw = ANALYSIS_COLUMNS.get(column, ())
        columns += list(raw) if raw and all(c in rows.columns for c in raw) else [column]
    out = rows[columns].copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_datetime64_any_dtype(values) and values.dt.tz is None:
            if bool((values.dropna() == values.dropna().dt.normalize()).all()):
                out[column] = pd.array([None if pd.isna(v) else v.date() for v in values], dtype=pd.ArrowDtype(pa.date32()))
    return out


def _arrow(df: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(df.reset_index(drop=True), preserve_index=False)


def csv_bytes(df: pd.DataFrame, excel: bool = False) -> bytes:
    """The DataFrame as CSV (RFC 4180, CRLF, formula-neutralised text cells); with a BOM when for Excel."""
    return exports.table_file(_arrow(df), "csv-excel" if excel else "csv")


def parquet_bytes(df: pd.DataFrame, citation: str = "", licence: str = "") -> bytes:
    """The DataFrame as Parquet (types kept, text never altered); citation and licence in the file metadata."""
    import pyarrow.parquet as pq

    table = _arrow(df)
    meta = dict(table.schema.metadata or {})
    meta.update({b"borderlens:citation": citation.encode("utf-8"), b"borderlens:licence": licence.encode("utf-8")})
    buffer = io.BytesIO()
    pq.write_table(table.replace_schema_metadata(meta), buffer, compression="zstd")
    return buffer.getvalue()


def has_geometry(df: pd.DataFrame) -> bool:
    names = set(df.columns)
    return bool(names & set(exports.GEOMETRY_COLUMNS)) or {"lon", "lat"} <= names


def geojson_bytes(df: pd.DataFrame, citation: str = "", licence: str = "") -> bytes:
    """The DataFrame as a GeoJSON FeatureCollection (RFC 7946), citation and licence as foreign members."""
    return exports.table_file(_arrow(df), "geojson", {"citation": citation, "licence": licence})


def view_file(df: pd.DataFrame, fmt: str, citation: str = "", licence: str = "") -> bytes:
    """Bytes of one download of a shown table: fmt is csv, csv-excel, parquet, geojson or citation."""
    if fmt == "csv":
        return csv_bytes(df)
    if fmt == "csv-excel":
        return csv_bytes(df, excel=True)
    if fmt == "parquet":
        return parquet_bytes(df, citation, licence)
    if fmt == "geojson":
        return geojson_bytes(df, citation, licence)
    if fmt == "citation":
        return citation_bytes(df, citation, licence)
    raise ValueError(f"unknown download format {fmt!r}")


def citation_bytes(df: pd.DataFrame, citation: str, licence: str) -> bytes:
    """The sidecar of a CSV download (a CSV has no place for metadata): citation, licence and its columns."""
    columns = "\n".join(f"- {name} ({_kind(df[name])})" for name in df.columns)
    text = f"Citation: {citation}\nLicence: {licence}\nRows: {len(df)}\nColumns:\n{columns}\n"
    return text.encode("utf-8")


def _kind(values: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(values):
        return "boolean"
    if pd.api.types.is_numeric_dtype(values):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(values) or str(values.dtype).startswith("date32"):
        return "date"
    return "text"


# ---------------------------------------------------------------------------------------------- the release


# A download button holds its file whole in the server's memory while the visitor's page shows it (Streamlit has no
# streaming download): a 10M-row release's GeoJSON extract is 8.9 GB, two clicks and the server is gone. Larger
# files are left to a file server: the operator's (BORDERLENS_RELEASE_FILES_URL, where the release folder is served
# as files), or nginx under `borderlens serve --replicas` (deploy/nginx.conf.template, /release-files/).
APP_LIMIT_ENV = "BORDERLENS_APP_DOWNLOAD_LIMIT_MB"
DEFAULT_APP_LIMIT_MB = 100


def app_download_limit() -> int:
    """The largest file, in bytes, the dashboard sends itself: BORDERLENS_APP_DOWNLOAD_LIMIT_MB, else 100 MB (a
    value that is not a whole number of MB counts as unset)."""
    text = os.environ.get(APP_LIMIT_ENV, "").strip()
    return (int(text) if text.isdigit() else DEFAULT_APP_LIMIT_MB) << 20


def release_files_url() -> str | None:
    """Where the release folder is served as files (BORDERLENS_RELEASE_FILES_URL, without a trailing /), if
    anywhere: an http(s) address, or a path on this server such as /release-files."""
    url = os.environ.get(FILES_URL_ENV, "").strip().rstrip("/")
    return url if url.startswith(("https://", "http://", "/")) and not url.startswith("//") else None


def size_words(size: int) -> str:
    """A file's size for a button: 412 KB, 17.1 MB, 3.1 GB."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20)):
        if size >= scale:
            return f"{size / scale:,.1f} {unit}"
    return f"{max(1, round(size / 1024)):,} KB"


@dataclass(frozen=True)
class ReleaseFiles:
    extracts: pd.DataFrame      # dataset, format, path, file_name, size_kb, rows, mime, size (bytes), in_app (the
                                # dashboard sends it), url (on the operator's file server, or None)
    dictionary: pd.DataFrame    # dataset, column, type, description
    codes: pd.DataFrame         # dataset, column, code, label: the categories of the dimension columns
    citation: str
    licences: str
    title: str
    feed: str | None            # path of feed.atom, if the release has one


def release_files(release_path: str) -> ReleaseFiles:
    """The prebuilt extracts (built once at publish), the data dictionary, licence and citation of a release."""
    folder = Path(release_path)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    rows_by: dict[str, int | None] = {}
    dictionary: list[dict] = []
    codes: list[dict] = []
    for resource in package.get("resources", []):  # one resource per file: crossings, crossings-parquet, …
        dataset = Path(str(resource.get("path") or resource.get("name"))).stem
        rows_by.setdefault(dataset, resource.get("row_count"))
        for f in resource.get("schema", {}).get("fields", []):
            dictionary.append({"dataset": dataset, "column": f.get("name"), "type": f.get("type"),
                               "description": f.get("description", "")})
            codes.extend({"dataset": dataset, "column": f.get("name"), "code": str(c.get("value")),
                          "label": c.get("label")} for c in f.get("categories") or [] if isinstance(c, dict))
    extracts = []
    limit, files_url = app_download_limit(), release_files_url()
    for path in sorted((folder / "extracts").glob("*")):
        fmt = path.suffix.lstrip(".")
        if fmt in EXTRACT_FORMATS and path.is_file():
            size = path.stat().st_size
            extracts.append({"dataset": path.stem, "format": fmt, "path": str(path), "file_name": path.name,
                             "size_kb": round(size / 1024, 1), "rows": rows_by.get(path.stem),
                             "mime": EXTRACT_FORMATS[fmt], "size": size, "in_app": size <= limit,
                             "url": f"{files_url}/extracts/{path.name}" if files_url else None})
    licences = licence_words(package)
    feed = folder / "feed.atom"
    dictionary_df = pd.DataFrame(dictionary, columns=["dataset", "column", "type", "description"])
    dictionary_df = dictionary_df.drop_duplicates(["dataset", "column"]).reset_index(drop=True)
    codes_df = pd.DataFrame(codes, columns=["dataset", "column", "code", "label"])
    codes_df = codes_df.drop_duplicates(["dataset", "column", "code"]).reset_index(drop=True)
    return ReleaseFiles(extracts=pd.DataFrame(extracts, columns=["dataset", "format", "path", "file_name", "size_kb",
                                                                  "rows", "mime", "size", "in_app", "url"]),
                        dictionary=dictionary_df, codes=codes_df, citation=str(package.get("citation", "")), licences=licences,
                        title=str(package.get("title", "")), feed=str(feed) if feed.is_file() else None)


def read_file(path: str) -> bytes:
    """A release file's bytes for a download button; one over the limit is refused (see APP_LIMIT_ENV)."""
    if Path(path).stat().st_size > app_download_limit():
        raise ValueError(f"{Path(path).name} is larger than the dashboard sends ({APP_LIMIT_ENV})")
    return Path(path).read_bytes()


# ---------------------------------------------------------------------------------------------- citing a view


def permalink(base_url: str, query: dict[str, str]) -> str:
    """The address of a view: the page's URL (without any query) plus its parameters; embed is left out."""
    base = (base_url or "").split("?", 1)[0].split("#", 1)[0]
    pairs = [(k, v) for k, v in query.items() if k != "embed" and v not in (None, "")]
    return base + ("?" + urlencode(pairs, safe=",|-") if pairs else "")


def cite_view(page: str, filters_text: str, release_id: str, release_date: str, url: str,
              release_citation: str = "") -> str:
    """A citation of the view: page, filters, release id and date, the address, then the release's citation."""
    text = (f"borderlens, “{page}” ({filters_text}), release {release_id} ({release_date}). {url}")
    return text + (f"\nData: {release_citation}" if release_citation else "")
