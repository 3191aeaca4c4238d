"""Crossing points ranked (the Ranking page and the Overview's busiest points): each point's last 12 complete
months against the 12 before, the like-with-like change, the withheld/missing share, and what is unknown.

A withheld or missing figure would add to a point's total, so a total with one is a lower bound: the point could
rank higher, and a point below it with one could overtake it. The table says so per row rather than pretending
the order is certain. Each row links to its Trends view by a relative address whose query values the Trends
page checks against its allowed values.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote_plus, urlencode

import pandas as pd

from data_pipeline.views.queries import Filters, measure_label, measures_for, run
from data_pipeline.views.queries_trends import month_span

RANKING_SORTS = {
    "busiest": "busiest first (last 12 months)",
    "rise": "largest rise first",
    "fall": "largest fall first",
    "unpublished": "most withheld or missing first",
    "name": "by name",
}
DEFAULT_SORT = "busiest"
COUNTS = ["figures_last", "withheld_last", "missing_last", "figures_previous", "withheld_previous",
          "missing_previous", "figures_compared", "reporters"]
# The columns of a ranking table, shown and downloaded (the link beside the name; "change" stands for change_pct and
# change_status in a download: data_pipeline.views.downloads.ANALYSIS_COLUMNS)
COLUMNS = ["rank", "location_name", "trends_link", "location_id", "country_iso3", "neighbor_iso3", "window_from",
           "window_to", "last_12", "last_12_status", "previous_12", "change", "figures_compared",
           "unpublished_share_last", "rank_status"]


@dataclass(frozen=True)
class Ranking:
    table: pd.DataFrame       # one row per crossing point, in the chosen order (COLUMNS and their raw columns)
    measure_label: str
    windows: str              # "Mar 2024–Feb 2025 (120 points); ..." the 12-month windows, in words
    uncertain: int            # rows whose rank could change because of withheld or missing figures


def change_status(compared: int, figures: int, previous=None) -> str:
    """How far a change on the 12 months before can be trusted, in words (a column of the tables and downloads);
    previous is the sum the change divides by (a change from 0 has no percentage)."""
    if not compared:
        return "not comparable: no figure published in both years"
    if previous is not None and not pd.isna(previous) and previous == 0:
        return "not comparable: the figures compared add up to 0 a year before"
    if compared >= figures:
        return "all figures compared"
    return f"{compared:,} of {figures:,} figures compared (published in both years)"


def change_pct(last, previous, compared: int) -> float | None:
    """The change in percent of the figures published in both years (their sums: last, previous); None when no
    figure was, or the year before sums to 0."""
    if not compared or previous is None or pd.isna(previous) or previous == 0 or last is None or pd.isna(last):
        return None
    return (last - previous) / previous * 100.0


def _total_status(value, figures: int, unpublished: int) -> str:
    if pd.isna(value):
        return "no published figure"
    if unpublished:
        return f"at least: {unpublished:,} of {figures:,} figures withheld or missing"
    return "complete"


def rank_status(table: pd.DataFrame) -> list[str]:
    """Per row of a table ranked busiest first: whether withheld or missing figures, its own or those of a point
    below it, could move it (its total is a lower bound; so are theirs)."""
    unknown = (table["withheld_last"] + table["missing_last"]) > 0
    below = unknown[::-1].cumsum()[::-1].shift(-1, fill_value=0) > 0   # any point ranked below has some
    words = []
    for first, value, own, others in zip(table.index == table.index[0], table["last_12"], unknown, below):
        own = own and not first   # the first cannot rank higher
        if pd.isna(value):
            words.append("unknown: no published figure")
        elif own and others:
            words.append("could rank higher or lower (withheld or missing figures here and below)")
        elif own:
            words.append("could rank higher (withheld or missing figures here)")
        elif others:
            words.append("could rank lower (withheld or missing figures below)")
        else:
            words.append("certain")
    return words


def trends_links(location_ids, measure: str, filters: Filters, latest_months) -> list[str]:
    """The relative address of each point's Trends view: its 24 months, this measure, by month (values the Trends
    page and the sidebar check against their allowed values). The part after the point's id is made once per latest
    month (a ranking of 5,000 points has a handful), not once per row (0.4 s of the Overview at 10M figures)."""
    rest = {}
    for month in set(latest_months):
        rest[month] = urlencode(_trends_query(measure, filters, month))
    return [f"trends?port={quote_plus(str(p))}&{rest[m]}" for p, m in zip(location_ids, latest_months)]


def _trends_query(measure: str, filters: Filters, latest_month) -> dict:
    last = pd.Timestamp(latest_month)
    query = {"measure": measure, "grain": "month",
             "from": f"{last - pd.DateOffset(months=23):%Y-%m}", "to": f"{last:%Y-%m}"}
    if filters.border:
        query["border"] = "-".join(filters.border)
    if filters.countries:
        query["countries"] = ",".join(filters.countries)
    return query


def two_year_params(release_path: str, params: dict, by_location: bool) -> dict:
    """params with $months_from, the month from which a statement of each owner's latest 24 months reads (a
    constant, so that DuckDB skips the row groups of older figures; None when no figure is chosen). From the
    release's series table when the period ends after every series' last month (the default view; series_cover
    says so), else from a scan of the figures."""
    asked = {**params, "by_location": by_location}
    from_series = run(release_path, "two_year_start_series", asked).iloc[0]
    covered = from_series["series_cover"]
    series_cover = bool(pd.notna(covered) and bool(covered))
    start = from_series["months_from"] if series_cover else \
        run(release_path, "two_year_start", asked)["months_from"].iloc[0]
    return {**params, "months_from": None if pd.isna(start) else start, "series_cover": series_cover}


def ranked_points(release_path: str, params: dict) -> pd.DataFrame:
    """sql/app/crossing_ranking.sql's rows: for the default view (no border, country or dimension filter, the period
    ending after every series' last month: series_cover) as publish stored them, else worked out (at 10M figures
    about 10 against 180 ms)."""
    if params["series_cover"] and not any(params[k] for k in ("border_a", "countries", "dim_names")):
        stored = run(release_path, "crossing_ranking_stored", params)
        if len(stored):
            return stored
    return run(release_path, "crossing_ranking", params)


def ranking(release_path: str, filters: Filters, measure: str, sort: str = DEFAULT_SORT) -> Ranking:
    if sort not in RANKING_SORTS:
        raise ValueError("sort not in the allowed values")
    params = {**filters.params(), "measures": measures_for(measure)}
    rows = ranked_points(release_path, two_year_params(release_path, params, by_location=True))
    label = measure_label(measure)
    if rows.empty:
        return Ranking(table=pd.DataFrame(columns=COLUMNS), measure_label=label, windows="", uncertain=0)
    rows[COUNTS] = rows[COUNTS].fillna(0).astype("int64")
    rows["location_name"] = rows["location_name"].where(rows["location_name"].fillna("") != "", rows["location_id"])
    rows["rank"] = pd.array([i + 1 if pd.notna(v) else None for i, v in enumerate(rows["last_12"])], dtype="Int64")
    rows["rank_status"] = rank_status(rows)
    rows["change_pct"] = [change_pct(a, b, n) for a, b, n in
                          zip(rows["compared_last"], rows["compared_previous"], rows["figures_compared"])]
    rows["change_status"] = [change_status(n, f, b) for n, f, b in
                             zip(rows["figures_compared"], rows["figures_last"], rows["compared_previous"])]
    rows["change"] = [f"{c:+.1f}%" if pd.notna(c) else "not comparable" for c in rows["change_pct"]]
    unpublished = rows["withheld_last"] + rows["missing_last"]
    rows["unpublished_share_last"] = unpublished / rows["figures_last"].where(rows["figures_last"] > 0)
    rows["last_12_status"] = [_total_status(v, f, u) for v, f, u in zip(rows["last_12"], rows["figures_last"],
                                                                        unpublished)]
    latest = pd.to_datetime(rows["latest_month"])
    firsts = {m: m - pd.DateOffset(months=11) for m in latest.dropna().unique()}   # a few months, not a row each
    rows["window_from"] = pd.to_datetime(latest.map(firsts)).dt.date
    rows["window_to"] = latest.dt.date
    spans = {(a, b): month_span(a, b) for a, b in set(zip(rows["window_from"], rows["window_to"]))}
    rows["window"] = [spans[pair] for pair in zip(rows["window_from"], rows["window_to"])]
    rows["trends_link"] = trends_links(rows["location_id"], measure, filters, latest)
    counts = rows.groupby("window", sort=False).size()
    windows = "; ".join(f"{w} ({n:,} crossing point{'s' if n > 1 else ''})" for w, n in counts.items())
    uncertain = int((rows["rank_status"] != "certain").sum())
    return Ranking(table=sort_ranking(rows, sort), measure_label=label, windows=windows, uncertain=uncertain)


def sort_ranking(rows: pd.DataFrame, sort: str) -> pd.DataFrame:
    """The rows in the chosen order; a row with no figure to sort by goes last, ties by rank then id."""
    if sort == "busiest":
        return rows.sort_values(["rank", "location_id"], na_position="last", ignore_index=True)
    if sort == "name":
        return rows.sort_values(["location_name", "location_id"], key=lambda c: c.str.casefold(),
                                ignore_index=True)
    column, ascending = {"rise": ("change_pct", False), "fall": ("change_pct", True),
                         "unpublished": ("unpublished_share_last", False)}[sort]
    return rows.sort_values([column, "rank", "location_id"], ascending=[ascending, True, True],
                            na_position="last", ignore_index=True)
