"""Crossing trends page: series per period, year-over-year change, same months of earlier years, mirrors.

The one-line summaries under the charts are put into words here. A total over figures of which none is published
is "no published figure", never 0; a total over some published figures says it counts only those (the withheld
ones would add to it: it is a lower bound).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data_pipeline.queries import (WITHHELD_STATUSES, Filters, count_text, finite, md_escape, measure_label,
                                   measures_for, run)

GRAINS = ("month", "quarter", "year")
SPLITS = {
    "total": "nothing (one total)",
    "border": "border",
    "location": "crossing point (8 largest)",
    "measure": "what is counted",
    "direction": "direction of travel",
    "reporter": "publisher",
}
FREQUENCIES = {"month": "MS", "quarter": "QS", "year": "YS"}
ALL_LOCATIONS = "all"


@dataclass(frozen=True)
class TrendsView:
    series: pd.DataFrame      # period, series, value, figures, published, reporters, withheld, withheld_share, ...
    reporters_vary: bool      # the number of publishers with figures changes from period to period
    seasonal: pd.DataFrame    # year, month, month_name, value, figures, published, withheld, withheld_share
    locations: pd.DataFrame   # location_id, location_name, country_iso3, total (for the crossing-point choice)
    mirrors: pd.DataFrame     # per crossing point x measure x flow: both totals and the largest gap
    mirror_series: pd.DataFrame   # month by month for the chosen mirror pair
    mirror_choice: str        # "location_id|measure" shown in mirror_series ("" when none)
    measure_label: str


def _share(part, whole):
    return part / whole.where(whole > 0)


def _complete(series: pd.DataFrame, grain: str) -> pd.DataFrame:
    """One row per series and period from the first to the last period: a period without figures gets an
    empty value, so that charts break the line there instead of drawing across the gap."""
    series = series.assign(period=pd.to_datetime(series["period"]))
    periods = pd.date_range(series["period"].min(), series["period"].max(), freq=FREQUENCIES[grain])
    index = pd.MultiIndex.from_product([series["series"].unique(), periods], names=["series", "period"])
    full = series.set_index(["series", "period"]).reindex(index).reset_index()
    for column in ("figures", "published", "withheld", "missing", "reporters"):  # counts: none is 0
        full[column] = full[column].fillna(0).astype("int64")
    return full


def trends_view(release_path: str, filters: Filters, measure: str, grain: str, split: str,
                location: str, mirror: str = "") -> TrendsView:
    if grain not in GRAINS or split not in SPLITS:
        raise ValueError("grain or split not in the allowed values")
    params = filters.params()
    measures = measures_for(measure)
    loc = None if location in ("", ALL_LOCATIONS) else location
    series = run(release_path, "trends_series", {**params, "measures": measures, "grain": grain,
                                                  "split": split, "location": loc})
    if len(series):
        series = _complete(series, grain)
        series["withheld_share"] = _share(series["withheld"], series["figures"])
        # Like for like: both sums cover only publishers with figures in both periods (a publisher that starts
        # or stops publishing is not a change in crossings).
        before = series["value_year_before"].where(series["value_year_before"] > 0)
        series["yoy_pct"] = (series["value_compared"] - before) / before * 100.0
        series = finite(series)   # a change from or to a huge figure can overflow: missing, never "inf"
        if split == "measure":
            series["series"] = series["series"].map(measure_label)

    seasonal = run(release_path, "trends_seasonal", {**params, "measures": measures, "location": loc})
    if len(seasonal):
        seasonal["withheld_share"] = _share(seasonal["withheld"], seasonal["figures"])
        seasonal["month_name"] = pd.to_datetime(seasonal["month"].astype(int).astype(str), format="%m").dt.strftime("%b")
        seasonal["year"] = seasonal["year"].astype(int).astype(str)

    locations = run(release_path, "trends_locations", {**params, "measures": measures})

    mirrors = run(release_path, "mirror_summary", {**params, "measures": measures})
    mirror_series = pd.DataFrame()
    choice = ""
    if len(mirrors):
        mirrors["key"] = mirrors["location_id"] + "|" + mirrors["measure"]
        mirrors["measure_label"] = mirrors["measure"].map(measure_label)
        mirrors["gap_share"] = _share(mirrors["net_gap"].abs(),
                                      (mirrors["inbound_total"] + mirrors["outbound_total"]) / 2)
        choice = mirror if mirror in set(mirrors["key"]) else mirrors["key"].iloc[0]
        location_id, mirror_measure = choice.split("|", 1)
        mirror_series = run(release_path, "mirror_series", {**params, "location": location_id,
                                                            "measure": mirror_measure})
    counts = series[series["figures"] > 0].groupby("period")["reporters"].sum() if len(series) else pd.Series()
    return TrendsView(series=series, reporters_vary=bool(counts.nunique() > 1), seasonal=seasonal, locations=locations, mirrors=mirrors,
                      mirror_series=mirror_series, mirror_choice=choice, measure_label=measure_label(measure))


# ---------------------------------------------------------------------------------------------- summaries in words


def _total(values: pd.Series) -> float:
    """The sum of the published values; NaN (not 0) when none is published."""
    return float(values.sum(min_count=1))


def _nothing_published(figures: int, withheld: int) -> str:
    """'no published figure: all 26 withheld' (or how many of them are withheld, the rest not available)."""
    if figures and withheld >= figures:
        return f"no published figure: all {figures:,} withheld"
    return f"no published figure ({withheld:,} of {figures:,} withheld, the rest not available)"


MONTHS_PER_GRAIN = {"month": 1, "quarter": 3, "year": 12}


def series_summary(series: pd.DataFrame, title: str, split: str, grain: str = "month") -> str:
    """The line under the series chart: the total in the period (and, broken down, the largest series). The
    period runs to the last month of the last quarter or year shown, not to its first."""
    last = series["period"].max() + pd.DateOffset(months=MONTHS_PER_GRAIN.get(grain, 1) - 1)
    periods = f"{title}, {series['period'].min():%b %Y} to {last:%b %Y}"
    share = f"on average {series['withheld_share'].mean():.0%} of the figures withheld"
    figures, published = int(series["figures"].sum()), int(series["published"].sum())
    total = _total(series["value"])
    if pd.isna(total):
        return f"{periods}: {_nothing_published(figures, int(series['withheld'].sum()))}."
    complete = published == figures
    words = f"{count_text(total)} in all" if complete else \
        f"at least {count_text(total)} in all (published figures only)"
    if split != "total":
        totals = series.groupby("series")["value"].sum(min_count=1).dropna().sort_values(ascending=False)
        largest = "largest" if complete else "largest on published figures"
        # a series can be named by the data (a crossing point's name): inert in the markdown caption
        words += f"; {largest}: {md_escape(totals.index[0], 80)} ({count_text(totals.iloc[0])})"
    return f"{periods}: {words}; {share}."


def seasonal_summary(seasonal: pd.DataFrame) -> str:
    """The line under the same-months chart: the years shown and the largest year total."""
    years = seasonal["year"].astype(int)
    words = f"{years.nunique()} years, {years.min()} to {years.max()}"
    by_year = seasonal.groupby(years)["value"].sum(min_count=1).dropna()
    figures, published = int(seasonal["figures"].sum()), int(seasonal["published"].sum())
    if by_year.empty:
        return f"{words}; {_nothing_published(figures, int(seasonal['withheld'].sum()))}."
    if published == figures:
        return f"{words}; the largest year total is {count_text(by_year.max())} ({by_year.idxmax()})."
    withheld = int(seasonal["withheld"].sum())
    return (f"{words}; counting published figures only ({withheld:,} of {figures:,} withheld), the largest year "
            f"total is {count_text(by_year.max())} ({by_year.idxmax()}).")


def mirror_words(ms: pd.DataFrame) -> str:
    """The line under the mirror chart: both totals and the net gap, over the months both sides published."""
    inbound, outbound = ms["inbound_reporter"].iloc[0], ms["outbound_reporter"].iloc[0]
    both = ms[ms["inbound_value"].notna() & ms["outbound_value"].notna()]
    statuses = pd.concat([ms["inbound_status"], ms["outbound_status"]])
    values = pd.concat([ms["inbound_value"], ms["outbound_value"]])
    figures, unpublished = len(values), int(values.isna().sum())
    withheld = int(statuses.isin(WITHHELD_STATUSES).sum())
    months = f"{len(ms)} months"
    if both.empty and not values.notna().any():
        return f"Over {months} {inbound} and {outbound}: {_nothing_published(figures, withheld)}."
    if both.empty:
        return (f"Over {months} no month has both {inbound}'s and {outbound}'s figure published ({unpublished:,} of "
                f"{figures:,} figures withheld or not available): no gap can be worked out.")
    totals = (f"{inbound} counted {both['inbound_value'].sum():,.0f} entries and {outbound} "
              f"{both['outbound_value'].sum():,.0f} exits; the net gap is {both['gap'].sum():+,.0f}")
    if len(both) == len(ms):
        return f"Over {months} {totals}."
    return (f"In the {len(both)} of {months} with both figures published, {totals} (the other months are left out: "
            f"{unpublished:,} of {figures:,} figures withheld or not available).")
