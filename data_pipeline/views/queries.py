"""The dashboard's query layer: small, aggregated answers from a published release.

Pure Python + DuckDB; never imports Streamlit. Every statement is a file in sql/app/ (CTE style, `$name`
parameters; the filters they share are macros in sql/app/macros.sql); identifiers come only from the fixed
allow-lists in this package. A release's borderlens.duckdb is opened READ-ONLY, and each call returns small
pandas frames: aggregation happens in DuckDB, so a view receives only the rows it shows.

Page-level functions live in queries_overview, queries_map, queries_trends, queries_notices,
queries_projects and queries_transparency; URL parameters are checked in queries_params.
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from data_pipeline.datasets import PEOPLE_MEASURES
from data_pipeline.publish.cells import cell_km
from data_pipeline.db import sql
from data_pipeline.views.release_connections import DB_FILE
from data_pipeline.views.release_connections import database as _database

RELEASE_ENV = "BORDERLENS_RELEASE"

# Statuses a value can carry in a release (docs/release.md) and the words shown for them.
WITHHELD_STATUSES = ("withheld_by_publisher", "suppressed", "dropped")
STATUS_LABELS = {
    "reported": "reported",
    "estimated": "estimated by the publisher",
    "withheld_by_publisher": "withheld by publisher",
    "suppressed": "suppressed (small count)",
    "dropped": "not published (policy)",
    "missing": "not available",
}

# Measures: canonical name -> label with unit. People measures add up to "people, all modes".
MEASURE_LABELS = {
    "persons": "persons",
    "pedestrians": "pedestrians",
    "personal_vehicle_passengers": "passengers in personal vehicles",
    "bus_passengers": "bus passengers",
    "train_passengers": "train passengers",
    "personal_vehicles": "personal vehicles",
    "trucks": "trucks",
    "buses": "buses",
    "trains": "trains",
    "truck_containers_loaded": "loaded truck containers",
    "truck_containers_empty": "empty truck containers",
    "rail_containers_loaded": "loaded rail containers",
    "rail_containers_empty": "empty rail containers",
    "irregular_border_crossings": "detections of irregular border crossings",
}
PEOPLE = "people"  # pseudo-measure: the sum of PEOPLE_MEASURES
PEOPLE_LABEL = "people, all modes"  # persons, pedestrians and passengers (About says so)


class ReleaseError(Exception):
    """The release folder is missing or not a release: told to the visitor in one sentence."""


class ReleaseBroken(ReleaseError):
    """A release whose files do not match its digests (truncated, altered, missing): problems, one line each."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Release:
    path: str
    release_id: str
    created: str


@dataclass(frozen=True)
class Filters:
    """The shared sidebar choices: a border (sorted ISO3 pair) or all, countries, a period (inclusive), and codes
    of the crossings' dimensions ((name, (code, ...)), ... sorted; a crossing figure matches when its code in
    every dimension chosen is one of those chosen)."""

    border: tuple[str, str] | None = None
    countries: tuple[str, ...] = ()
    date_from: date = date(1900, 1, 1)
    date_to: date = date(9999, 12, 31)
    dimensions: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def params(self) -> dict:
        a, b = self.border if self.border else (None, None)
        chosen = [(name, codes) for name, codes in self.dimensions if codes]
        return {"border_a": a, "border_b": b, "countries": list(self.countries) or None,
                "date_from": self.date_from, "date_to": self.date_to,
                "dim_names": [name for name, _ in chosen] or None,
                "dim_codes": [f"{name}={code}" for name, codes in chosen for code in codes] or None}


@dataclass(frozen=True)
class FilterOptions:
    borders: pd.DataFrame      # border (A-B), iso3_a, iso3_b, name, crossings, notices, projects
    countries: pd.DataFrame    # iso3, name
    months: tuple[str, ...]    # YYYY-MM from the earliest to the latest date in the release
    latest_month: str
    measures: tuple[str, ...] = ()   # PEOPLE (when any people measure exists), then measures by frequency
    dimensions: pd.DataFrame = field(default_factory=pd.DataFrame)  # dimension, code, label, figures
    port_measures: tuple[str, ...] = ()   # the measures some crossing point reports (not a route's only)


@dataclass(frozen=True)
class ReleaseMeta:
    release_id: str
    created: str
    policy_name: str
    synthetic_sources: pd.DataFrame = field(default_factory=pd.DataFrame)  # dataset, publisher, title, file_name


# ---------------------------------------------------------------------------------------------- release access


def release_from_env() -> Release:
    path = os.environ.get(RELEASE_ENV)
    if not path:
        raise ReleaseError(f"No release is configured: set {RELEASE_ENV} to a folder written by `borderlens publish`.")
    return open_release(path)


def open_release(path: str | Path) -> Release:
    folder = Path(path).resolve()
    manifest, db = folder / "release.json", folder / DB_FILE
    if not manifest.is_file() or not db.is_file():
        raise ReleaseError(f"{folder} is not a release folder (release.json and {DB_FILE} are expected).")
    from data_pipeline.publish.release_format import format_problem
    from data_pipeline.publish.verify import release_problems

    problems = release_problems(folder)  # a few stat calls; the files' SHA-256 once per change
    if problems:
        raise ReleaseBroken(problems)
    try:
        info = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ReleaseError(f"{manifest} cannot be read: {exc}") from None
    outdated = format_problem(folder, info)
    if outdated:  # its tables are not the ones the pages read: one line, never a binder error mid-page
        raise ReleaseError(outdated)
    return Release(path=str(folder), release_id=str(info.get("release_id", "")),
                   created=str(info.get("created", ""))[:10])


_LOCK = threading.Lock()
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")


def run(release_path: str, name: str, params: dict | None = None) -> pd.DataFrame:
    """Run sql/app/<name>.sql on the release (read-only) and return its (small) result."""
    with _LOCK:
        base = _database(str(release_path))
    cursor = base.cursor()  # one connection per call: safe across Streamlit's session threads
    try:
        cursor.execute("set enable_progress_bar = false")
        text = sql(f"app/{name}")
        wanted = set(_PARAM.findall(_COMMENT.sub("", text)))  # a $name in a comment is not a parameter
        missing = wanted - set(params or {})
        if missing:
            raise KeyError(f"sql/app/{name}.sql needs parameters {sorted(missing)}")
        return finite(cursor.execute(text, {k: v for k, v in (params or {}).items() if k in wanted}).df())
    finally:
        cursor.close()


def finite(frame: pd.DataFrame) -> pd.DataFrame:
    """Non-finite figures (a publisher's NaN or inf, a sum of huge values that overflowed) become missing: a page
    shows them as missing, never as "inf", and a chart never gets a value JSON cannot carry."""
    floats = frame.select_dtypes("floating").columns
    if len(floats):
        frame[floats] = frame[floats].where(np.isfinite(frame[floats]))
    return frame


def date_text(value, fmt: str = "%Y-%m-%d") -> str:
    """A date as text whatever its year: strftime knows years 1 to 9999 only (pandas 1677 to 2262), and a release
    can hold year 0 (a publisher's 'Jan 0000') or 12345; such a date is written from its parts (%Y %m %d %b)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    try:
        return format(value, fmt)
    except (ValueError, OverflowError, NotImplementedError):
        parts = {"%Y": f"{value.year:04d}", "%m": f"{value.month:02d}", "%d": f"{value.day:02d}",
                 "%b": MONTH_ABBR[value.month - 1], "%B": MONTH_NAMES[value.month - 1]}
        return re.sub(r"%[YmdbB]", lambda m: parts[m.group()], fmt)


def count_text(value) -> str:
    """A figure with thousands separators; a sum of huge figures that overflowed (inf) says so, never "inf"."""
    if value is None or pd.isna(value):
        return "–"
    return f"{value:,.0f}" if math.isfinite(value) else "too large to add up"


MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
MONTH_ABBR = tuple(name[:3] for name in MONTH_NAMES)


# ---------------------------------------------------------------------------------------------- shared answers


def release_meta(release_path: str) -> ReleaseMeta:
    info = run(release_path, "release_info")
    values = dict(zip(info["key"], info["value"]))
    synthetic = run(release_path, "synthetic_sources")
    return ReleaseMeta(release_id=values.get("release_id", ""), created=str(values.get("created", ""))[:10],
                       policy_name=values.get("policy_name", ""), synthetic_sources=synthetic)


def filter_options(release_path: str) -> FilterOptions:
    borders = run(release_path, "filter_borders")
    countries = run(release_path, "filter_countries")
    span = run(release_path, "filter_period")
    first, last = span["first_day"].iloc[0], span["last_day"].iloc[0]
    months = month_range(first, last) if pd.notna(first) and pd.notna(last) else ()
    measure_rows = run(release_path, "filter_measures")
    found = tuple(measure_rows["measure"])
    measures = ((PEOPLE,) if set(found) & set(PEOPLE_MEASURES) else ()) + found
    at_ports = set(measure_rows.loc[measure_rows["at_crossing_points"].fillna(True).astype(bool), "measure"])
    return FilterOptions(borders=borders, countries=countries, months=months,
                         latest_month=months[-1] if months else "", measures=measures,
                         port_measures=tuple(m for m in measures if m == PEOPLE or m in at_ports),
                         dimensions=run(release_path, "filter_dimensions"))


def charted_days(release_path: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last day the app draws as time (sql/app/macros.sql); a date outside is shown as text only."""
    days = run(release_path, "charted_days")
    return pd.Timestamp(days["first_day"].iloc[0]), pd.Timestamp(days["last_day"].iloc[0])


def off_chart_words(release_path: str, count: int, noun: str, where: str) -> str:
    """The note under a chart that leaves out rows with a date outside charted_days ("" when none is)."""
    if not count:
        return ""
    first, last = charted_days(release_path)
    many = count > 1
    return (f"{count:,} {noun}{'s' if many else ''} with a date before {first.year} or after {last.year} (a "
            f"publisher's typo, such as year 0) {'are' if many else 'is'} not {where}; the table shows "
            f"{'their' if many else 'its'} dates as published.")


def month_range(first, last) -> tuple[str, ...]:
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    periods = pd.period_range(first.to_period("M"), last.to_period("M"), freq="M")
    return tuple(str(p) for p in periods)


# ---------------------------------------------------------------------------------------------- words for markers

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~$:&])")


# GitHub-flavoured markdown turns a bare www., scheme://, mailto:, xmpp: or e-mail address into a link even when its
# marks are escaped; an invisible word joiner (U+2060) before the ':' / '.' / '@' that would start one stops it. Any
# other colon is left alone (a sentence's "ahead: late" copies as typed); Streamlit's :directives: are escaped.
_AUTOLINK = re.compile(r"(?<=[A-Za-z0-9_.+-])(?=@)|(?<=www)(?=\.)|(?<=[A-Za-z])(?=:/)|(?<=mailto)(?=:)|(?<=xmpp)(?=:)",
                       re.IGNORECASE)
WORD_JOINER = "\u2060"


def md_escape(text: object, limit: int = 200) -> str:
    """Text from the data made inert for st.markdown: every markdown/HTML mark backslash-escaped, no autolink."""
    value = " ".join(str(text).split())[:limit]
    return _MD_SPECIAL.sub(r"\\\1", _AUTOLINK.sub(WORD_JOINER, value))



def measure_label(measure: str) -> str:
    if measure == PEOPLE:
        return PEOPLE_LABEL
    return MEASURE_LABELS.get(measure, measure.replace("_", " "))


def measures_for(choice: str) -> list[str]:
    """The canonical measures a measure choice stands for (the people group, or one measure)."""
    return list(PEOPLE_MEASURES) if choice == PEOPLE else [choice]


def precision_km(precision: str | None) -> float | None:
    """About how wide a coarsened location's cell is: grid_<degrees> or h3_<resolution> (data_pipeline.publish.cells)."""
    return cell_km(precision)


def precision_table(release_path: str) -> dict[str, float]:
    """precision code -> km across, as the release's redactions state it (the policy's own numbers)."""
    rows = run(release_path, "precisions")
    return {p: float(k) for p, k in zip(rows["precision"], rows["precision_km"])}


def location_marker(precision: str | None, known_km: dict[str, float] | None = None) -> str:
    """'location coarsened to about N km' for a coarsened location; '' for an exact one."""
    if not isinstance(precision, str):
        return ""
    km = (known_km or {}).get(precision) or precision_km(precision)
    if km is None:
        return "" if precision in ("", "exact", "near") else f"location given only as a {precision}"
    shown = round(km) if km >= 10 else round(km, 1)
    return f"location coarsened to about {shown:g} km"


def status_marker(status: str | None, k: float | int | None = None, secondary: bool = False) -> str:
    """The words shown in place of a withheld value (docs/release.md, 'Markers shown to people')."""
    if status == "withheld_by_publisher":
        return "withheld by publisher"
    if status == "suppressed":
        if secondary:
            return "suppressed: protects a small cell"
        # One marker for primary and secondary cells: telling them apart would show which hidden counts are >= k.
        return (f"suppressed: fewer than {int(k)}, or protecting such a count" if k is not None and pd.notna(k)
                else "suppressed: small count, or protecting one")
    if status == "dropped":
        return "not published (policy)"
    if status == "missing":
        return "not available"
    if status == "estimated":
        return "estimated"
    return ""


NOT_STATED = "not stated"   # a value the publisher did not give, with no marker saying why


def value_text(value, status, shown=None) -> str:
    """A value as every page and tooltip shows it: the marker of its status when not published (withheld,
    suppressed, dropped, missing), NOT_STATED when empty, else shown(value) (default: a whole number, 1,234)."""
    marker = status_marker(status) if isinstance(status, str) and status not in ("reported", "estimated") else ""
    if marker:
        return marker
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return NOT_STATED
    return shown(value) if shown else f"{value:,.0f}"


# ---------------------------------------------------------------------------------------------- pages of a table

PAGE_SIZES = (50, 100, 250)   # rows per page a long table offers
DEFAULT_PAGE_SIZE = 100


@dataclass(frozen=True)
class Paging:
    """One page of a table that is paginated in SQL (LIMIT/OFFSET): which rows of how many."""

    page: int    # 1-based, within 1..pages
    size: int    # rows per page
    total: int   # rows of the whole (filtered) table

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def first(self) -> int:
        return min(self.offset + 1, self.total)

    @property
    def last(self) -> int:
        return min(self.offset + self.size, self.total)

    def words(self, what: str = "rows") -> str:
        """'rows 101–200 of 90,477 (page 2 of 905)': what the page shows, in words."""
        if self.total == 0:
            return f"no {what}"
        return (f"{what} {self.first:,}–{self.last:,} of {self.total:,}"
                + (f" (page {self.page:,} of {self.pages:,})" if self.pages > 1 else ""))


def paging(total: int, page: int, size: int) -> Paging:
    """The page asked for, moved into 1..pages (a page past the end shows the last one)."""
    if size not in PAGE_SIZES:
        raise ValueError(f"rows per page must be one of {PAGE_SIZES}")
    pages = max(1, math.ceil(int(total) / size))
    return Paging(page=min(max(1, int(page)), pages), size=size, total=int(total))
