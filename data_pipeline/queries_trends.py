"""Crossing trends page: series per period, year-over-year change, same months of earlier years, mirrors."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data_pipeline.queries import Filters, measure_label, measures_for, run

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
    series: pd.DataFrame      # period, series, value, figures, reporters, withheld, withheld_share, yoy_pct, ...
    reporters_vary: bool      # the number of publishers with figures changes from period to period
    seasonal: pd.DataFrame    # year, month, month_name, value, withheld_share
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
    for column in ("figures", "withheld", "missing", "reporters"):  # counts: none is 0
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
        if split == "measure":
            series["series"] = series["series"].map(measure_label)

    seasonal = run(release_path, "trends_seasonal", {**params, "measures": measures, "location": loc})
    if len(seasonal):
        seasonal["withheld_share"] = _share(seasonal["withheld"], seasonal["figures"])
        seasonal["month_name"] = pd.to_datetime(seasonal["month"].astype(int).astype(str), format="%m").dt.strftime("%b")
        seasonal["year"] = seasonal["year"].astype(int).astype(str)

    locations = run(release_path, "trends_locations", {**params, "measures": measures})

    mirrors = run(release_path, "mirror_summary", params)
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
