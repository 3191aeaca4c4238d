"""Infrastructure page: projects as a table, on a map and on a timeline, filtered by distance to the border.

The figures are counted in DuckDB over every project that matches; the table comes one page at a time (LIMIT/
OFFSET in SQL). The map draws each project when few match, else counts them per grid cell (as the Map page does);
the timeline draws a bar per project when few, else counts projects per year and status.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd

from data_pipeline.views.date_words import coarsened_words, precise_date
from data_pipeline.views.downloads import analysis_frame
from data_pipeline.views.queries import (DEFAULT_PAGE_SIZE, Filters, Paging, charted_days, location_marker,
                                   off_chart_words, paging, precision_table, run, value_text)
from data_pipeline.views.queries_map import OTHER_PROJECT, PROJECT_COLOURS, _collection, _coords, _feature, _geometry, _point
from data_pipeline.views.queries_map_areas import (DETAIL_LIMIT, LAYER_BYTES, MAX_CELLS, STEPS, Drawn, project_cells,
                                             simplified, steps_for)

STATUSES = ("planned", "under_construction", "completed", "suspended", "cancelled")
DISTANCES = ("5", "10", "25", "50", "100", "any")   # km, as offered on the page (any = no limit)
# Orders the table offers (the value is compared in sql/app/projects_page.sql, never pasted into SQL).
SORTS = {
    "distance_asc": "Nearest to a border first",
    "start_desc": "Latest start first",
    "start_asc": "Earliest start first",
    "name": "Name",
    "project_id": "Project id",
}
DEFAULT_SORT = "distance_asc"
# The columns of the projects table, on the page and in its downloads.
SHOWN = ["project_id", "name", "kind", "status_label", "country_iso3", "host_iso3", "distance_to_border_km",
         "border_name", "outside_country_km",
         "budget_text", "funders_text", "planned_start_text", "planned_end_text", "actual_start_text",
         "actual_end_text", "dates_note", "location_note", "publisher", "file_name", "source_line"]
DATES = ("planned_start", "planned_end", "actual_start", "actual_end")
TIMELINE_BARS = 250   # up to this many dated projects the timeline draws one bar each; beyond, counts per year
TIMELINE_COLUMNS = ["project_id", "name", "status_label", "starts", "ends", "dates_note",
                    *DATES, *(f"{d}_precision" for d in DATES)]


@dataclass(frozen=True)
class ProjectsView:
    table: pd.DataFrame       # the rows of this page, withheld values replaced by their markers
    paging: Paging            # which rows of how many (every project that matches)
    sort: str
    counts: dict              # projects per status (all pages); 'unknown' for no status
    drawn: Drawn              # the map: projects one by one (features), or counted per grid cell (cells)
    timeline: pd.DataFrame    # one bar per project (few), or year, status_label, projects (timeline_by_year)
    timeline_by_year: bool
    off_timeline: str = ""    # what the timeline leaves out (a date outside the span the app draws), in words

    @property
    def features(self) -> dict:
        return self.drawn.features

    @property
    def bounds(self) -> tuple[float, float, float, float] | None:
        return self.drawn.bounds


def _money(budget, status, currency) -> str:
    return value_text(budget, status, lambda v: f"{v:,.0f} {currency if isinstance(currency, str) else ''}".strip())


def _funders(funders, status) -> str:
    return value_text(funders, status, lambda v: "; ".join(str(f) for f in v))


def _params(filters: Filters, max_km: str, statuses: tuple[str, ...]) -> dict:
    if max_km not in DISTANCES or any(s not in STATUSES for s in statuses):
        raise ValueError("distance or status not in the allowed values")
    return {**filters.params(), "max_km": None if max_km == "any" else float(max_km),
            "statuses": list(statuses) or None}


def _words(rows: pd.DataFrame, known: dict) -> pd.DataFrame:
    """projects_page rows with withheld values as markers (for one page, a map of few, or a download)."""
    rows["budget_text"] = [_money(b, s, c) for b, s, c in zip(rows["budget"], rows["budget_status"], rows["currency"])]
    rows["funders_text"] = [_funders(f, s) for f, s in zip(rows["funders"], rows["funders_status"])]
    rows["location_note"] = [location_marker(p, known) for p in rows["location_precision"]]
    rows["dates_note"] = [coarsened_words(t) for t in rows["time_coarsened_to"]]   # the policy's, not the publisher's
    for field in DATES:   # 'Jan 1980' for a date published without its day, never a day the publisher did not give
        rows[f"{field}_text"] = _date_texts(rows[field], rows[f"{field}_precision"])
    rows["status_label"] = rows["status"].fillna("unknown").str.replace("_", " ")
    return rows


def _date_texts(values: pd.Series, precisions: pd.Series) -> list[str]:
    """Each date as exactly as it was published: ISO for a day (as the table showed it), 'Jan 1980', '1980'."""
    return [precise_date(v, p, "%Y-%m-%d") for v, p in zip(values, precisions)]


def projects_page(release_path: str, params: dict, sort: str, limit: int | None, offset: int = 0,
                  known: dict | None = None) -> pd.DataFrame:
    """Rows offset+1 .. offset+limit of the projects that match (limit None: all), with markers."""
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {sorted(SORTS)}")
    rows = run(release_path, "projects_page", {**params, "sort": sort, "limit": limit, "offset": offset})
    return _words(rows, precision_table(release_path) if known is None else known)


def projects_table(release_path: str, filters: Filters, max_km: str, statuses: tuple[str, ...],
                   sort: str = DEFAULT_SORT) -> pd.DataFrame:
    """Every project that matches, with the page's table as a download of all pages:
    numbers as numbers with their status (downloads.analysis_frame)."""
    return analysis_frame(SHOWN, projects_page(release_path, _params(filters, max_km, statuses), sort, None))


def _one_by_one(rows: pd.DataFrame, known: dict) -> tuple[list[dict], tuple | None]:
    """Map features of a few projects (tooltip and colour only) and their bounds."""
    features, xs, ys = [], [], []
    geometries = simplified(rows["geometry"]) if len(rows) else rows["geometry"]
    for row, text in zip(rows.itertuples(), geometries):
        geometry = _geometry(text) or _point(row.lon, row.lat)
        if geometry is None:
            continue
        lines = [f"{row.name or row.project_id} ({row.project_id})",
                 f"{(row.kind or 'project').replace('_', ' ')} · {row.status_label} · {row.country_iso3}"]
        if pd.notna(row.distance_to_border_km):
            lines.append(f"{row.distance_to_border_km:,.1f} km from the border")
        lines.append(f"budget: {row.budget_text}")
        if pd.notna(row.outside_country_km):  # geo/host_country.py: more than 25 km outside its country
            lines.append(f"{row.outside_country_km:,.0f} km outside {row.host_iso3 or row.country_iso3}")
        if row.location_note:
            lines.append(row.location_note)
        features.append(_feature(geometry, "\n".join(lines), PROJECT_COLOURS.get(row.status, OTHER_PROJECT)[0]))
        pts = list(_coords(geometry))
        xs += [x for x, _ in pts]
        ys += [y for _, y in pts]
    return features, ((min(xs), min(ys), max(xs), max(ys)) if xs else None)


def _cells(release_path: str, params: dict, known: dict, reason: str) -> Drawn:
    cells = run(release_path, "projects_cells", {**params, "base": STEPS[0], "steps": steps_for(known),
                                                 "max_cells": MAX_CELLS})
    return project_cells(cells, reason)


def _timeline(rows: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    """One bar per dated project, from starts to ends as macros.projects_near defines them (the rule the filter
    uses: a project still under construction or suspended runs to the release date); no end: its start day. A
    project with a date outside first..last (year 0, 12345) is left out: the table shows its dates as text."""
    timeline = rows[TIMELINE_COLUMNS].dropna(subset=["starts"])
    timeline["ends"] = timeline["ends"].fillna(timeline["starts"])
    timeline = timeline[timeline["starts"].between(first, last) & timeline["ends"].between(first, last)].copy()
    for column in DATES:   # tooltips: a far date is not drawn (the table has it); a date to the month reads 'Jan 1980'
        timeline[column] = timeline[column].where(timeline[column].between(first, last))
        timeline[f"{column}_text"] = _date_texts(timeline[column], timeline[f"{column}_precision"])
    return timeline


def projects_view(release_path: str, filters: Filters, max_km: str, statuses: tuple[str, ...], page: int = 1,
                  sort: str = DEFAULT_SORT, rows: int = DEFAULT_PAGE_SIZE) -> ProjectsView:
    """Everything the page shows: counts over all projects, one page of rows, the map and the timeline."""
    params = _params(filters, max_km, statuses)
    known = precision_table(release_path)
    summary = run(release_path, "projects_summary", params)
    counts = dict(zip(summary["status"], summary["projects"].astype(int)))
    total, dated = int(summary["projects"].sum()), int(summary["dated"].sum())
    where = paging(total, page, rows)
    table = projects_page(release_path, params, sort, where.size, where.offset, known)

    every = None   # all the projects that match, when few enough to draw one by one
    if total <= DETAIL_LIMIT:
        every = table if total <= len(table) else projects_page(release_path, params, sort, None, 0, known)
        features, bounds = _one_by_one(every, known)
        size = len(json.dumps(features, separators=(",", ":")))
        drawn = (Drawn(len(features), _collection(features), pd.DataFrame(), pd.DataFrame(), None, "", bounds)
                 if size <= LAYER_BYTES else
                 _cells(release_path, params, known, f"{total:,} projects match, but their outlines would take "
                                                     f"{size / 1e6:.1f} MB to send"))
    else:
        drawn = _cells(release_path, params, known,
                       f"{total:,} projects match, more than the {DETAIL_LIMIT:,} drawn one by one")

    by_year = dated > TIMELINE_BARS
    if by_year:
        timeline = run(release_path, "projects_years", params)
        timeline["status_label"] = timeline["status"].str.replace("_", " ")
    else:
        bars = every if every is not None else projects_page(release_path, params, "start_asc", TIMELINE_BARS, 0,
                                                             known)
        timeline = _timeline(bars, *charted_days(release_path))
    return ProjectsView(table=table.drop(columns=["geometry", "lat", "lon", "funders", "budget", "countries_iso3"],
                                         errors="ignore"),
                        paging=where, sort=sort, counts=counts, drawn=drawn, timeline=timeline,
                        timeline_by_year=by_year, off_timeline=_off_timeline(release_path, summary))


def _off_timeline(release_path: str, summary: pd.DataFrame) -> str:
    left_out = int(summary["off_timeline"].sum()) if len(summary) else 0
    return off_chart_words(release_path, left_out, "project", "on the timeline")
