"""Exercise notices page: Vienna Document 2011 indicators per notice, Chapter VIII counts, one notice's detail.

Every threshold comes from the release's vd_thresholds table; this module only puts them into words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from data_pipeline.queries import Filters, location_marker, precision_table, run, status_marker, time_marker

METRIC_WORDS = {
    "troops": "troops",
    "battle_tanks": "battle tanks",
    "acvs": "armoured combat vehicles",
    "artillery": "artillery pieces",
    "sorties": "fixed-wing sorties",
    "lead_time_days": "days of notice",
}
OPERATOR_WORDS = {">=": "≥", ">": ">", "<=": "≤"}
NOTICE_NUMBERS = ("troops", "battle_tanks", "acvs", "artillery", "sorties")


@dataclass(frozen=True)
class NoticesView:
    notices: pd.DataFrame       # one row per notice, indicators as words and flags
    chapter8: pd.DataFrame      # state, year, paragraph, activities, limit, over_limit, ...
    thresholds: pd.DataFrame    # paragraph, rule (words), applies_to
    min_lead_days: int
    detail: pd.DataFrame        # field, value for the chosen notice (empty when none chosen)
    detail_title: str


def threshold_words(metric: str, operator: str, value: float) -> str:
    return f"{METRIC_WORDS.get(metric, metric.replace('_', ' '))} {OPERATOR_WORDS.get(operator, operator)} {value:,.0f}"


def rule_phrase(thresholds: pd.DataFrame, applies_to: str) -> str:
    """'13,000 troops, 300 battle tanks, ... (para 47.4)': the OR-combined rows of one rule, in words."""
    rows = thresholds[thresholds["applies_to"] == applies_to]
    if rows.empty:
        return ""
    parts = [f"{r.value:,.0f} {METRIC_WORDS.get(r.metric, r.metric)}" for r in rows.itertuples()]
    paras = ", ".join(dict.fromkeys(rows["paragraph"]))
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]
    return f"{joined} (para {paras})"


def as_list(value) -> list:
    """A DuckDB list cell as a Python list (NULL -> [])."""
    if value is None or isinstance(value, float) or value is pd.NA:
        return []
    return list(value)


def _crossed_words(items) -> str:
    """'40.1.1: troops ≥ 9,000, battle tanks ≥ 250; 47.4: troops ≥ 13,000' (grouped by paragraph)."""
    grouped: dict[str, list[str]] = {}
    for i in as_list(items):
        grouped.setdefault(i["paragraph"], []).append(threshold_words(i["metric"], i["operator"], i["value"]))
    return "; ".join(f"{para}: {', '.join(rules)}" for para, rules in grouped.items())


def _withheld_words(items) -> str:
    items = as_list(items)
    if not items:
        return ""
    return ", ".join(METRIC_WORDS.get(m.removesuffix("_status"), m) for m in items) + " withheld"


def _number_text(value, status) -> str:
    if isinstance(status, str) and status not in ("reported", "estimated"):
        return status_marker(status)
    return "not stated" if value is None or pd.isna(value) else f"{value:,.0f}"


def _lead_words(row) -> str:
    if pd.isna(row["lead_days"]):
        return status_marker(row["notified_on_status"]) or "no notification date"
    return "on time" if row["lead_ok"] else "late"


def _yes_no(value, status) -> str:
    if status not in (None, "reported", "estimated") and not pd.isna(status):
        return status_marker(status)
    if value is None or pd.isna(value):
        return "not stated"
    return "yes" if value else "no"


def notices_view(release_path: str, filters: Filters, notice_id: str | None = None) -> NoticesView:
    params = filters.params()
    thresholds = run(release_path, "vd_thresholds")
    lead = thresholds[(thresholds["paragraph"] == "38") & (thresholds["metric"] == "lead_time_days")]
    min_lead = int(lead["value"].iloc[0]) if len(lead) else 0
    thresholds["rule"] = [threshold_words(m, o, v) for m, o, v in
                          zip(thresholds["metric"], thresholds["operator"], thresholds["value"])]

    known = precision_table(release_path)
    notices = run(release_path, "notices_list", params)
    if len(notices):
        notices["lead"] = notices.apply(_lead_words, axis=1)
        notices["thresholds"] = notices["thresholds_crossed"].map(_crossed_words)
        notices["withheld"] = notices["metrics_withheld"].map(_withheld_words)
        notices["observers"] = [_yes_no(v, s) for v, s in zip(notices["observers_invited"],
                                                                notices["observers_invited_status"])]
        notices["calendar"] = [_yes_no(v, s) for v, s in zip(notices["in_annual_calendar"],
                                                               notices["in_annual_calendar_status"])]
        for column in ("troops", "battle_tanks"):
            notices[f"{column}_text"] = [_number_text(v, st) for v, st in zip(notices[column], notices[f"{column}_status"])]
        notices["observers_missing"] = notices["observation_threshold"] & (notices["observers_invited"] == False)  # noqa: E712
        notices["participants"] = notices["participating_iso3"].map(lambda v: ", ".join(as_list(v)))
        notices["location_note"] = [" · ".join(x for x in (location_marker(p, known), time_marker(t)) if x)
                                    for p, t in zip(notices["location_precision"], notices["time_precision"])]
        notices = notices.drop(columns=["thresholds_crossed", "metrics_withheld", "participating_iso3"])

    chapter8 = run(release_path, "notices_chapter8", params)
    if len(chapter8):
        chapter8["notice_ids"] = chapter8["notice_ids"].map(lambda v: ", ".join(as_list(v)))

    detail, title = pd.DataFrame(columns=["field", "value"]), ""
    if notice_id:
        detail, title = _detail(release_path, notice_id, known)
    return NoticesView(notices=notices, chapter8=chapter8, thresholds=thresholds, min_lead_days=min_lead,
                       detail=detail, detail_title=title)


DETAIL_FIELDS = [
    ("notice_id", "Notice id"), ("designation", "Designation"), ("purpose", "Purpose"),
    ("notifying_iso3", "Notifying state"), ("participating_iso3", "Participating states"),
    ("notified_on", "Notified on"), ("start_date", "Starts"), ("end_date", "Ends"),
    ("troops", "Troops"), ("battle_tanks", "Battle tanks"), ("acvs", "Armoured combat vehicles"),
    ("artillery", "Artillery"), ("sorties", "Fixed-wing sorties"), ("helicopters", "Helicopter sorties"),
    ("airborne_amphibious", "Airborne or amphibious"), ("observers_invited", "Observers invited"),
    ("in_annual_calendar", "In the annual calendar (para 61)"), ("area_name", "Area"),
    ("location", "Location"), ("border_name", "Nearest border"), ("distance_to_border_km", "Distance to it (km)"),
    ("publisher", "Source: publisher"), ("source_title", "Source: title"), ("file_name", "Source: file"),
    ("source_line", "Source: line in the file"), ("source_version", "Source: version of the file"),
    ("licence", "Source: licence"), ("source_url", "Source: address"), ("sha256", "Source: SHA-256 of the file"),
    ("synthetic", "Synthetic demo data"),
]


def _cell(row: pd.Series, column: str, known: dict) -> str:
    status_col = f"{column}_status"
    if status_col in row.index and row[status_col] not in ("reported", None) and not pd.isna(row[status_col]):
        marker = status_marker(row[status_col])
        if marker and marker != "estimated":
            return marker
    value = row.get(column)
    if column == "location":
        if row.get("location_status") not in (None, "reported") and not pd.isna(row.get("location_status")):
            return status_marker(row["location_status"])
        note = " · ".join(x for x in (location_marker(row.get("location_precision"), known),
                                      time_marker(row.get("time_precision"))) if x)
        if pd.isna(row.get("lat")) or pd.isna(row.get("lon")):
            return note or "not given"
        return f"{row['lat']:.3f}, {row['lon']:.3f}" + (f" ({note})" if note else "")
    if value is None or (not hasattr(value, "__len__") and pd.isna(value)):
        return ""
    if hasattr(value, "__len__") and not isinstance(value, str):
        return ", ".join(str(v) for v in as_list(value))
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (pd.Timestamp, date)):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, (float, np.floating)):
        return f"{value:,.1f}" if column == "distance_to_border_km" else f"{value:,.0f}"
    if isinstance(value, (int, np.integer)):
        return f"{value:,}" if column not in ("source_line", "source_version") else str(value)
    return str(value)


def _detail(release_path: str, notice_id: str, known: dict) -> tuple[pd.DataFrame, str]:
    rows = run(release_path, "notice_detail", {"notice_id": notice_id})
    if rows.empty:
        return pd.DataFrame(columns=["field", "value"]), ""
    row = rows.iloc[0]
    table = pd.DataFrame([(label, _cell(row, column, known)) for column, label in DETAIL_FIELDS],
                         columns=["field", "value"])
    return table, str(row.get("designation") or row["notice_id"])
