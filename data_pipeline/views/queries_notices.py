"""Exercise notices page: Vienna Document 2011 indicators per notice, Chapter VIII counts, one notice's detail.

Every threshold comes from the release's vd_thresholds table; this module only puts them into words. The
figures are counted in DuckDB over all notices; the table comes one page at a time (LIMIT/OFFSET in SQL), and
only the rows of that page are put into words here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from data_pipeline.datasets import CHAPTER8_IDS
from data_pipeline.views.date_words import coarsened_words, precise_date
from data_pipeline.views.downloads import analysis_frame
from data_pipeline.views.queries import (DEFAULT_PAGE_SIZE, Filters, Paging, charted_days, location_marker,
                                   off_chart_words, paging, precision_table, run, status_marker, value_text)
from data_pipeline.views.verdict_words import verdict_sentences

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

# Orders the table offers (the value is compared in sql/app/notices_page.sql, never pasted into SQL).
SORTS = {
    "start_desc": "Start date, latest first",
    "start_asc": "Start date, earliest first",
    "lead_asc": "Shortest notice first",
    "troops_desc": "Most troops first",
    "distance_asc": "Nearest to a border first",
    "notice_id": "Notice id",
}
DEFAULT_SORT = "start_desc"
# The columns of the notices table, on the page and in its downloads.
SHOWN = ["starts_text", "ends_text", "notice_id", "designation", "notifying_iso3", "lead_days", "lead", "troops_text",
         "battle_tanks_text", "notifiable", "observation_required", "thresholds", "withheld", "observers", "calendar", "distance_to_border_km",
         "border_name", "location_note"]
CALENDAR_BARS = 250   # up to this many notices the calendar draws one bar each; beyond, counts per month
IDS_SHOWN = CHAPTER8_IDS   # Chapter VIII: notice ids named per state, year and paragraph (then "and N more")


@dataclass(frozen=True)
class NoticesView:
    notices: pd.DataFrame       # the rows of this page, indicators as words and flags
    paging: Paging              # which rows of how many (all notices in the period)
    sort: str
    summary: dict               # notices, late, lead_unknown, notification_threshold, observation_threshold, ...
    #                             and *_undecided: how many could not be judged (a number they need is withheld)
    calendar: pd.DataFrame      # one row per notice (few), or per month and lead time (many: calendar_by_month)
    calendar_by_month: bool
    chapter8: pd.DataFrame      # state, year, paragraph, activities, limit, over_limit, ...
    thresholds: pd.DataFrame    # paragraph, rule (words), applies_to
    min_lead_days: int
    detail: pd.DataFrame        # field, value for the chosen notice (empty when none chosen)
    detail_title: str
    detail_verdict: list[str]   # the stored verdicts of the chosen notice, each a sentence (verdict_words)
    off_calendar: str = ""      # what the calendar leaves out (a date outside the span the app draws), in words


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


def undecided_words(count: int, needs: str = "a number they need is") -> str:
    """'2 more could not be judged: a number they need is withheld or not stated.' (for a metric's help)"""
    return f"{count:,} more could not be judged: {needs} withheld or not stated."


def undecided_note(summary: dict) -> str:
    """The line under the figures on the notices that could not be judged against a threshold ("" if none)."""
    counts = [summary.get(k, 0) for k in ("notification_undecided", "observation_undecided", "observers_undecided")]
    if not any(counts):
        return ""
    notices = "notice" if counts[0] == 1 else "notices"
    return (f"Not judged, because a number they need is withheld or not stated (never read as small): "
            f"{counts[0]:,} {notices} against the notification thresholds (para 40), {counts[1]:,} against the "
            f"observation thresholds (para 47.4), {counts[2]:,} for “no observers invited” (with those "
            "that do not say whether they invited observers).")


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


def _lead_words(lead_days, late, status) -> str:
    """The stored verdict late (para 38, or 41) in the table's words: on time, late, or why it is unknown."""
    if lead_days is None or pd.isna(lead_days):
        if status == "reported":  # a notification date there is, but it or the start lacks its day
            return {"no": "on time (a date without its day)", "yes": "late (a date without its day)"}.get(
                late, "unknown: a date without its day")
        return status_marker(status) or "no notification date"
    return {"no": "on time", "yes": "late"}.get(late, "unknown")


def _yes_no(value, status) -> str:
    return value_text(value, status, lambda v: "yes" if v else "no")


def _words(notices: pd.DataFrame, known: dict) -> pd.DataFrame:
    """The indicators of notices_page rows put into words (for one page; for a download, all rows)."""
    if notices.empty:
        return notices.assign(**{c: pd.Series(dtype=object) for c in SHOWN if c not in notices.columns})
    notices["lead"] = [_lead_words(d, ok, s) for d, ok, s in zip(notices["lead_days"], notices["late"],
                                                                  notices["notified_on_status"])]
    for field, shown in (("start_date", "starts_text"), ("end_date", "ends_text")):
        notices[shown] = [precise_date(v, p) for v, p in zip(notices[field], notices[f"{field}_precision"])]
    notices["thresholds"] = notices["thresholds_crossed"].map(_crossed_words)
    notices["withheld"] = notices["metrics_withheld"].map(_withheld_words)
    notices["observers"] = [_yes_no(v, s) for v, s in zip(notices["observers_invited"],
                                                            notices["observers_invited_status"])]
    notices["calendar"] = [_yes_no(v, s) for v, s in zip(notices["in_annual_calendar"],
                                                           notices["in_annual_calendar_status"])]
    for column in ("troops", "battle_tanks"):
        notices[f"{column}_text"] = [value_text(v, st) for v, st in zip(notices[column], notices[f"{column}_status"])]
    notices["location_note"] = [" · ".join(x for x in (location_marker(p, known), coarsened_words(t)) if x)
                                for p, t in zip(notices["location_precision"], notices["time_coarsened_to"])]
    return notices.drop(columns=["thresholds_crossed", "metrics_withheld", "participating_iso3",
                                 "notifiable_paragraphs", "observation_paragraphs"])


def _ids_words(ids, total) -> str:
    """'A, B, C and 1,234 more': the first ids Chapter VIII lists and how many it counted."""
    ids = [str(i) for i in as_list(ids)]
    more = int(total) - len(ids) if total is not None and not pd.isna(total) else 0
    return ", ".join(ids) + (f" and {more:,} more" if more > 0 else "")


def _check_sort(sort: str) -> None:
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {sorted(SORTS)}")


def thresholds_table(release_path: str) -> tuple[pd.DataFrame, int]:
    """The release's vd_thresholds with each rule in words, and the paragraph 38 lead time in days."""
    thresholds = run(release_path, "vd_thresholds")
    lead = thresholds[(thresholds["paragraph"] == "38") & (thresholds["metric"] == "lead_time_days")]
    thresholds["rule"] = [threshold_words(m, o, v) for m, o, v in
                          zip(thresholds["metric"], thresholds["operator"], thresholds["value"])]
    return thresholds, int(lead["value"].iloc[0]) if len(lead) else 0


def notices_page(release_path: str, filters: Filters, sort: str, limit: int | None, offset: int = 0,
                 known: dict | None = None) -> pd.DataFrame:
    """Rows offset+1 .. offset+limit of the notices in the period (limit None: all), in words."""
    _check_sort(sort)
    rows = run(release_path, "notices_page", {**filters.params(), "sort": sort, "limit": limit, "offset": offset})
    return _words(rows, precision_table(release_path) if known is None else known)


def notices_table(release_path: str, filters: Filters, sort: str = DEFAULT_SORT) -> pd.DataFrame:
    """Every notice in the period, with the page's table as a download of all pages:
    numbers as numbers with their status (downloads.analysis_frame)."""
    return analysis_frame(SHOWN, notices_page(release_path, filters, sort, None))


def notices_view(release_path: str, filters: Filters, notice_id: str | None = None, page: int = 1,
                 sort: str = DEFAULT_SORT, rows: int = DEFAULT_PAGE_SIZE) -> NoticesView:
    """Everything the page shows: figures over all notices, one page of rows, calendar, Chapter VIII, detail."""
    _check_sort(sort)
    params = filters.params()
    thresholds, min_lead = thresholds_table(release_path)
    known = precision_table(release_path)
    counts = run(release_path, "notices_summary", params).iloc[0]
    summary = {k: int(v) for k, v in counts.items()}
    where = paging(summary["notices"], page, rows)
    notices = notices_page(release_path, filters, sort, where.size, where.offset, known)

    by_month = where.total > CALENDAR_BARS
    if by_month:
        calendar = run(release_path, "notices_calendar", params)
    elif where.total <= len(notices) and sort == "start_asc":
        calendar = notices
    else:
        calendar = notices_page(release_path, filters, "start_asc", CALENDAR_BARS, 0, known)
    if not by_month:
        calendar = calendar[["notice_id", "designation", "notifying_iso3", "start_date", "end_date", "lead"]].copy()
        calendar["end_date"] = calendar["end_date"].fillna(calendar["start_date"])
        first, last = charted_days(release_path)   # as notices_calendar: a far date is in the table only
        calendar = calendar[calendar["start_date"].between(first, last) & calendar["end_date"].between(first, last)]
    off = int(run(release_path, "notices_off_calendar", params)["notices"].iloc[0])
    off_calendar = off_chart_words(release_path, off, "notice", "in the calendar")

    chapter8 = run(release_path, "notices_chapter8", {**params, "ids_shown": IDS_SHOWN})
    if len(chapter8):
        chapter8["notice_ids"] = [_ids_words(i, n) for i, n in zip(chapter8["notice_ids"],
                                                                   chapter8["notice_ids_total"])]

    detail, title, verdict = pd.DataFrame(columns=["field", "value"]), "", list[str]()
    if notice_id:
        detail, title, verdict = notice_detail(release_path, filters, notice_id, known)
    return NoticesView(notices=notices, paging=where, sort=sort, summary=summary, calendar=calendar,
                       calendar_by_month=by_month, chapter8=chapter8, thresholds=thresholds,
                       min_lead_days=min_lead, detail=detail, detail_title=title, detail_verdict=verdict,
                       off_calendar=off_calendar)


DETAIL_FIELDS = [
    ("notice_id", "Notice id"), ("designation", "Designation"), ("purpose", "Purpose"),
    ("notifying_iso3", "Notifying state"), ("participating_iso3", "Participating states"),
    ("participants_unmapped", "Participants without a country code (as published)"),
    ("host_iso3", "Held in (host country)"),
    ("notified_on", "Notified on"), ("start_date", "Starts"), ("end_date", "Ends"),
    ("without_advance_notice", "Without advance notice to the troops (para 41)"),
    ("lead_days", "Notice given (days)"), ("verdict_lead", "Lead time (para 38 / 41)"),
    ("verdict_notifiable", "Notifiable size (para 40)"), ("verdict_observation", "Observers required (para 47.4)"),
    ("troops", "Troops"), ("battle_tanks", "Battle tanks"), ("acvs", "Armoured combat vehicles"),
    ("artillery", "Artillery"), ("sorties", "Fixed-wing sorties"), ("helicopters", "Helicopter sorties"),
    ("airborne_amphibious", "Airborne or amphibious"), ("observers_invited", "Observers invited"),
    ("in_annual_calendar", "In the annual calendar (para 61)"), ("area_name", "Area"),
    ("location", "Location"), ("border_name", "Nearest border"), ("distance_to_border_km", "Distance to it (km)"),
    ("location_outside_country", "Outside the country it is held in (over 25 km)"),
    ("outside_country_km", "Distance outside that country (km)"),
    ("publisher", "Source: publisher"), ("source_title", "Source: title"), ("file_name", "Source: file"),
    ("source_line", "Source: line in the file"), ("source_version", "Source: version of the file"),
    ("licence", "Source: licence"), ("source_url", "Source: address"), ("source_id", "Source: identifier"),
    ("sha256", "Source: SHA-256 of the file"),
    ("synthetic", "Synthetic demo data"),
]


def _cell(row: pd.Series, column: str, known: dict) -> str:
    status_col = f"{column}_status"
    if status_col in row.index and row[status_col] not in ("reported", None) and not pd.isna(row[status_col]):
        marker = status_marker(row[status_col])
        if marker and marker != "estimated":
            return marker
    value = row.get(column)
    if column == "notifying_iso3" and (value is None or pd.isna(value)):  # a compilation (MME) names none
        return "not published"
    if column == "sha256" and (value is None or pd.isna(value)):
        return "not published (the file is not declared public)"
    if column == "source_line" and row.get("line_numbers") == "renumbered" and not pd.isna(value):
        return f"{value} (among the published rows of the file; its own line numbers are not published)"
    if column == "location":
        if row.get("location_status") not in (None, "reported") and not pd.isna(row.get("location_status")):
            return status_marker(row["location_status"])
        note = " · ".join(x for x in (location_marker(row.get("location_precision"), known),
                                      coarsened_words(row.get("time_coarsened_to"))) if x)
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
        return precise_date(value, row.get(f"{column}_precision"), "%Y-%m-%d")   # a day as ISO, as it always was
    if isinstance(value, (float, np.floating)):
        return f"{value:,.1f}" if column in ("distance_to_border_km", "outside_country_km") else f"{value:,.0f}"
    if isinstance(value, (int, np.integer)):
        return f"{value:,}" if column not in ("source_line", "source_version") else str(value)
    return str(value)


def notice_detail(release_path: str, filters: Filters, notice_id: str,
                  known: dict | None = None) -> tuple[pd.DataFrame, str, list[str]]:
    """One notice in words with its provenance and its verdicts as sentences, if it is among the notices of the
    filters (else empty)."""
    rows = run(release_path, "notice_detail", {**filters.params(), "notice_id": str(notice_id)})
    if rows.empty:
        return pd.DataFrame(columns=["field", "value"]), "", []
    known = precision_table(release_path) if known is None else known
    row = rows.iloc[0].copy()
    verdict = verdict_sentences(row)
    row["verdict_lead"], row["verdict_notifiable"], row["verdict_observation"] = verdict
    table = pd.DataFrame([(label, _cell(row, column, known)) for column, label in DETAIL_FIELDS],
                         columns=["field", "value"])
    return table, str(row.get("designation") or row["notice_id"]), verdict
