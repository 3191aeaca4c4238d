"""Infrastructure page: projects as a table, on a map and on a timeline, filtered by distance to the border."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data_pipeline.queries import (Filters, location_marker, precision_table, run, status_marker,
                                   time_marker)
from data_pipeline.queries_map import OTHER_PROJECT, PROJECT_COLOURS, _collection, _coords, _feature, _geometry, _point

STATUSES = ("planned", "under_construction", "completed", "suspended", "cancelled")
DISTANCES = ("5", "10", "25", "50", "100", "any")   # km, as offered on the page (any = no limit)


@dataclass(frozen=True)
class ProjectsView:
    table: pd.DataFrame       # one row per project, withheld values replaced by their markers
    features: dict            # FeatureCollection for the map (tooltip, colour only)
    bounds: tuple[float, float, float, float] | None
    timeline: pd.DataFrame    # project_id, name, status, starts, ends, dates_note


def _money(budget, status, currency) -> str:
    marker = status_marker(status) if isinstance(status, str) and status not in ("reported", "estimated") else ""
    if marker:
        return marker
    if budget is None or pd.isna(budget):
        return "not stated"
    return f"{budget:,.0f} {currency if isinstance(currency, str) else ''}".strip()


def _funders(funders, status) -> str:
    marker = status_marker(status) if isinstance(status, str) and status not in ("reported", "estimated") else ""
    if marker:
        return marker
    if funders is None or isinstance(funders, float):
        return "not stated"
    return "; ".join(str(f) for f in funders)


def projects_view(release_path: str, filters: Filters, max_km: str, statuses: tuple[str, ...]) -> ProjectsView:
    if max_km not in DISTANCES or any(s not in STATUSES for s in statuses):
        raise ValueError("distance or status not in the allowed values")
    params = {**filters.params(), "max_km": None if max_km == "any" else float(max_km),
              "statuses": list(statuses) or None}
    rows = run(release_path, "projects_list", params)
    known = precision_table(release_path)
    features, xs, ys = [], [], []
    if len(rows):
        rows["budget_text"] = [_money(b, s, c) for b, s, c in zip(rows["budget"], rows["budget_status"], rows["currency"])]
        rows["funders_text"] = [_funders(f, s) for f, s in zip(rows["funders"], rows["funders_status"])]
        rows["location_note"] = [location_marker(p, known) for p in rows["location_precision"]]
        rows["dates_note"] = rows["time_precision"].map(time_marker)
        rows["status_label"] = rows["status"].fillna("unknown").str.replace("_", " ")
        for row in rows.itertuples():
            geometry = _geometry(row.geometry) or _point(row.lon, row.lat)
            if geometry is None:
                continue
            lines = [f"{row.name or row.project_id} ({row.project_id})",
                     f"{(row.kind or 'project').replace('_', ' ')} · {row.status_label} · {row.country_iso3}"]
            if pd.notna(row.distance_to_border_km):
                lines.append(f"{row.distance_to_border_km:,.1f} km from the border")
            lines.append(f"budget: {row.budget_text}")
            if row.location_note:
                lines.append(row.location_note)
            features.append(_feature(geometry, "\n".join(lines), PROJECT_COLOURS.get(row.status, OTHER_PROJECT)[0]))
            pts = list(_coords(geometry))
            xs += [x for x, _ in pts]
            ys += [y for _, y in pts]
    timeline = pd.DataFrame(columns=["project_id", "name", "status_label", "starts", "ends", "dates_note"])
    if len(rows):
        timeline = rows.assign(
            starts=rows["actual_start"].fillna(rows["planned_start"]),
            ends=rows["actual_end"].fillna(rows["planned_end"]),
        )[["project_id", "name", "status_label", "starts", "ends", "dates_note", "planned_start", "planned_end",
           "actual_start", "actual_end"]].dropna(subset=["starts"])
        timeline["ends"] = timeline["ends"].fillna(timeline["starts"])
    table = rows.drop(columns=["geometry", "lat", "lon", "funders", "budget", "countries_iso3"], errors="ignore")
    bounds = (min(xs), min(ys), max(xs), max(ys)) if xs else None
    return ProjectsView(table=table, features=_collection(features), bounds=bounds, timeline=timeline)
