"""Overview page: the headline numbers for the selected border (or all) and what the release withholds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from data_pipeline.datasets import DATASETS
from data_pipeline.views.queries_notices import rule_phrase, undecided_words
from data_pipeline.views.queries_ranking import Ranking, change_pct, change_status, ranking, two_year_params
from data_pipeline.views.queries import (PEOPLE, PEOPLE_MEASURES, STATUS_LABELS, WITHHELD_STATUSES, Filters,
                                   measure_label, run)

DATASET_LABELS = {name: d.label for name, d in DATASETS.items()}
NOTICE_WINDOW_DAYS = 90


@dataclass(frozen=True)
class Overview:
    crossings: pd.DataFrame        # one row per measure (+ people, all modes): last 12 months vs the 12 before
    windows: pd.DataFrame          # reporter, latest_month: where each publisher's 12 months end
    notices: dict                  # notices, late, lead_time_unknown, observation_threshold, observation_undecided
                                   # (counts withheld: cannot be judged), observation_without_invitation, ...
    notice_window: tuple[date, date]
    projects: pd.DataFrame         # status, projects
    freshness: pd.DataFrame        # dataset, earliest, latest, records, sources, publishers, synthetic
    withheld: pd.DataFrame         # dataset, field, status, n, label (not reported only)
    busiest: Ranking | None = None  # crossing points ranked for the first measure of `crossings` (people first)
    observation_rule: str = ""     # the para 47.4 thresholds in words, from vd_thresholds
    observation_help: str = ""     # "N more could not be judged: ..." for the observation threshold figure
    invitation_help: str = ""      # the same for "of which observers not invited"


def _per_measure(rows: pd.DataFrame) -> pd.DataFrame:
    """Sum the reporters' windows per measure (and people, all modes). The change sums only the figures published
    in both years (compared_last, compared_previous: paired in SQL), so a month or crossing point withheld or
    missing in one of them, or a publisher's months not covered, is left out of both sides."""
    sums = ["last_12", "previous_12", "figures_last", "withheld_last", "missing_last", "figures_previous",
            "withheld_previous", "missing_previous", "compared_last", "compared_previous", "figures_compared"]

    def total(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.groupby("measure", sort=False)[sums].sum(min_count=1)
        out["reporters"] = frame.groupby("measure", sort=False)["reporter"].nunique()
        return out

    people = rows[rows["measure"].isin(PEOPLE_MEASURES)]
    parts = [total(rows)]
    if len(people):
        parts.insert(0, total(people.assign(measure=PEOPLE)))
    table = pd.concat(parts).reset_index()
    counts = ["figures_last", "withheld_last", "missing_last", "figures_previous", "withheld_previous",
              "missing_previous", "figures_compared"]
    table[counts] = table[counts].fillna(0).astype("int64")
    table["change_pct"] = [change_pct(a, b, n) for a, b, n in
                           zip(table["compared_last"], table["compared_previous"], table["figures_compared"])]
    known = table["figures_last"].where(table["figures_last"] > 0)
    table["withheld_share_last"] = table["withheld_last"] / known
    table["unpublished_share_last"] = (table["withheld_last"] + table["missing_last"]) / known
    table["change_status"] = [change_status(n, f, b) for n, f, b in
                              zip(table["figures_compared"], table["figures_last"], table["compared_previous"])]
    table["label"] = table["measure"].map(measure_label)
    order = table["measure"] == PEOPLE
    return pd.concat([table[order], table[~order].sort_values("last_12", ascending=False)], ignore_index=True)


def overview(release_path: str, filters: Filters, release_created: str) -> Overview:
    params = filters.params()
    rows = run(release_path, "overview_crossings",
               two_year_params(release_path, {**params, "measures": None}, by_location=False))
    crossings = _per_measure(rows) if len(rows) else rows
    windows = (rows.groupby("reporter", as_index=False)["latest_month"].max() if len(rows)
               else pd.DataFrame(columns=["reporter", "latest_month"]))

    ref = _reference_date(filters.date_to, release_created)
    notices = run(release_path, "overview_notices", {**params, "ref_date": ref}).iloc[0].to_dict()
    projects = run(release_path, "overview_projects", params)
    freshness = run(release_path, "overview_freshness")
    freshness["label"] = freshness["dataset"].map(DATASET_LABELS).fillna(freshness["dataset"])
    withheld = run(release_path, "overview_withheld")
    withheld = withheld[withheld["status"] != "reported"].copy()
    withheld["label"] = withheld["status"].map(STATUS_LABELS).fillna(withheld["status"])
    withheld["withheld"] = withheld["status"].isin(WITHHELD_STATUSES)
    thresholds = run(release_path, "vd_thresholds")
    # the busiest crossing points: of the first measure some crossing point reports (a route is no crossing point)
    at_ports = run(release_path, "filter_measures")
    port_measures = set(at_ports.loc[at_ports["at_crossing_points"].fillna(True).astype(bool), "measure"])
    ranked = [m for m in crossings["measure"] if m == PEOPLE or m in port_measures] if len(crossings) else []
    busiest = ranking(release_path, filters, str(ranked[0])) if ranked else None
    return Overview(crossings=crossings, windows=windows, notices=notices, busiest=busiest,
                    observation_rule=rule_phrase(thresholds, "observation"),
                    observation_help=undecided_words(int(notices["observation_undecided"])),
                    invitation_help=undecided_words(int(notices["observation_without_invitation_undecided"]),
                                                    "a number they need or whether observers were invited is"),
                    notice_window=(ref - timedelta(days=NOTICE_WINDOW_DAYS - 1), ref),
                    projects=projects, freshness=freshness, withheld=withheld)


def _reference_date(date_to: date, release_created: str) -> date:
    """The end of the notice window: the end of the selected period, but never after the release date."""
    try:
        created = date.fromisoformat(release_created[:10])
    except ValueError:
        created = date_to
    return min(date_to, created)
