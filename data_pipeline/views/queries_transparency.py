"""Transparency and About pages: what is withheld, by whom and why, in words; sources, definitions, methods."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd

from data_pipeline.datasets import DATASETS
from data_pipeline.views.queries import STATUS_LABELS, run
from data_pipeline.views.queries_overview import DATASET_LABELS

FIELD_WORDS = {"*": "whole records", "value": "crossing counts", "area_name": "training-area names",
               "location": "locations", "budget": "budgets", "funders": "funders", "troops": "troop numbers",
               "battle_tanks": "battle-tank numbers", "acvs": "armoured-combat-vehicle numbers",
               "artillery": "artillery numbers", "sorties": "sortie numbers", "helicopters": "helicopter numbers",
               "observers_invited": "whether observers were invited", "in_annual_calendar": "calendar entries",
               "notified_on": "notification dates", "actual_start": "actual start dates",
               "actual_end": "actual end dates", "planned_start": "planned start dates",
               "planned_end": "planned end dates", "start_date": "start dates", "end_date": "end dates"}


@dataclass(frozen=True)
class TransparencyView:
    statements: pd.DataFrame     # dataset, field, publisher, action, rows_affected, statement, reason, rule_id
    by_status: pd.DataFrame      # dataset, field, status, label, n (not reported only)
    policy_name: str
    policy_text: str
    release_id: str
    created: str
    audit: dict = field(default_factory=dict)   # the suppression audit's figures (release_info), {} if none


AUDIT_KEYS = {"cells": int, "primaries": int, "secondaries": int, "primaries_published_before": int,
              "unprotectable": int, "protection_percent": float, "narrowest_interval_share_at_least": float,
              "passed": bool, "audited_with_previous_release": bool}


def audit_figures(text) -> dict:
    """The audit's figures from release_info, only the known keys with the expected types ({} if absent)."""
    try:
        raw = json.loads(text) if isinstance(text, str) else {}
    except ValueError:
        return {}
    if not isinstance(raw, dict):
        return {}
    return {k: t(raw[k]) for k, t in AUDIT_KEYS.items() if isinstance(raw.get(k), (int, float, bool))}


def _field(field) -> str:
    return FIELD_WORDS.get(field, str(field).replace("_", " ")) if isinstance(field, str) else "values"


RECORD_WORDS = {name: d.records for name, d in DATASETS.items()}


def statement(row) -> str:
    """One sentence a journalist can quote about one redactions row."""
    n = f"{int(row.rows_affected):,}"
    records = RECORD_WORDS.get(row.dataset, str(row.dataset).replace("_", " "))
    field = _field(row.field)
    publisher = row.publisher
    detail = row.detail if isinstance(row.detail, str) else ""
    k = None if row.k is None or pd.isna(row.k) else int(row.k)
    if row.action == "withheld_by_publisher":
        if row.dataset == "crossings":
            return f"{publisher} itself withheld {n} of its crossing counts."
        return f"{publisher} itself withheld {field} for {n} {records}."
    if row.action == "suppress_below":
        if detail == "secondary":
            return (f"{n} more {field} from {publisher} are suppressed to protect small counts: without this, "
                    f"they could be worked out from totals.")
        if detail == "carried":
            return (f"{n} {field} from {publisher} stay suppressed because the previous release suppressed them: "
                    f"publishing them now would give back what it withheld.")
        if detail == "unprotectable":
            return f"{n} {field} could not be protected by secondary suppression and are withheld as well."
        return f"{n} {field} from {publisher} are suppressed because they counted fewer than {k}."
    if row.action == "drop":
        return f"{field.capitalize()} are not published for {n} {records} from {publisher}."
    if row.action == "coarsen_location":
        km = "" if row.precision_km is None or pd.isna(row.precision_km) else f" about {row.precision_km:g} km across"
        return f"The places of {n} {records} from {publisher} are shown only as cells{km}."
    if row.action == "coarsen_time":
        return f"{field.capitalize()} of {n} {records} from {publisher} are given to the month only."
    if row.action == "round_to":
        return f"{field.capitalize()} of {n} {records} from {publisher} are rounded."
    if row.action == "embargo_days":
        held = f"{n} {records} from {publisher} are held back for now"
        return f"{held} ({detail})." if detail else f"{held}."
    return f"{n} {field} in {records} from {publisher}: {str(row.action).replace('_', ' ')}."


def transparency_view(release_path: str) -> TransparencyView:
    info = run(release_path, "release_info")
    values = dict(zip(info["key"], info["value"]))
    rows = run(release_path, "transparency_redactions")
    if len(rows):
        rows["statement"] = [statement(r) for r in rows.itertuples()]
        rows["dataset_label"] = rows["dataset"].map(DATASET_LABELS).fillna(rows["dataset"])
        rows["field_label"] = rows["field"].map(_field)
        rows["who"] = ["the publisher" if a == "withheld_by_publisher" else "the policy" for a in rows["action"]]
    by_status = run(release_path, "overview_withheld")
    by_status = by_status[by_status["status"] != "reported"].copy()
    by_status["label"] = by_status["status"].map(STATUS_LABELS).fillna(by_status["status"])
    by_status["dataset_label"] = by_status["dataset"].map(DATASET_LABELS).fillna(by_status["dataset"])
    return TransparencyView(statements=rows, by_status=by_status, policy_name=values.get("policy_name", ""),
                            policy_text=values.get("policy_text", ""), release_id=values.get("release_id", ""),
                            created=str(values.get("created", ""))[:10],
                            audit=audit_figures(values.get("suppression_audit")))


@dataclass(frozen=True)
class AboutView:
    sources: pd.DataFrame
    records: pd.DataFrame
    thresholds: pd.DataFrame


def about_view(release_path: str) -> AboutView:
    sources = run(release_path, "about_sources")
    sources["dataset_label"] = sources["dataset"].map(DATASET_LABELS).fillna(sources["dataset"])
    return AboutView(sources=sources, records=run(release_path, "about_status_counts"),
                     thresholds=run(release_path, "vd_thresholds"))


def provenance(release_path: str) -> dict[str, tuple[str, str]]:
    """dataset -> (publishers, licences) in words, for the source line of a chart or a download."""
    sources = run(release_path, "about_sources")
    out = {}
    for dataset, rows in sources.groupby("dataset", sort=True):
        out[dataset] = ("; ".join(sorted(set(rows["publisher"].dropna().astype(str)))),
                        "; ".join(sorted(set(rows["licence"].dropna().astype(str)))))
    return out


def crossings_provenance(release_path: str, filters) -> tuple[str, str, bool]:
    """(publishers, licences, any synthetic) of the crossing figures of these filters: the source line of a
    crossings chart names only the publishers whose figures it can draw."""
    rows = run(release_path, "chart_publishers", filters.params())
    return ("; ".join(dict.fromkeys(rows["publisher"].dropna().astype(str))),
            "; ".join(sorted(set(rows["licence"].dropna().astype(str)))), bool(rows["synthetic"].fillna(False).any()))


@dataclass(frozen=True)
class RevisionsView:
    datasets: pd.DataFrame   # dataset, revisions, label
    revisions: pd.DataFrame  # dataset_label, record_key, field, old_value, new_value, statuses, versions


def revisions_view(release_path: str, dataset: str | None) -> RevisionsView:
    datasets = run(release_path, "revision_datasets")
    datasets["label"] = datasets["dataset"].map(DATASET_LABELS).fillna(datasets["dataset"])
    rows = run(release_path, "revisions", {"dataset": dataset or None})
    rows.insert(0, "dataset_label", rows["dataset"].map(DATASET_LABELS).fillna(rows["dataset"]))
    return RevisionsView(datasets=datasets, revisions=rows.drop(columns=["dataset"]))
