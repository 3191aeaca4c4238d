"""Crossing trends page: series per period, year-over-year change, same months of earlier years, mirrors.

The one-line summaries under the charts are put into words here. A total over figures of which none is published
is "no published figure", never 0; a total over some published figures says it counts only those (the withheld
or missing ones would add to it: it is a lower bound). A period with some of its months only (the data's last
year, a quarter the period chosen cuts) is marked incomplete, and its change on a year earlier compares the same
months of both years (sql/app/trends_series.sql pairs figure with figure).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data_pipeline.views.queries import (WITHHELD_STATUSES, Filters, count_text, finite, md_escape, measure_label,
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
MONTHS_PER_GRAIN = {"month": 1, "quarter": 3, "year": 12}
ALL_LOCATIONS = "all"


@dataclass(frozen=True)
class TrendsView:
    series: pd.DataFrame      # period, series, value, figures, published, reporters, withheld, missing,
                              # withheld_share, unpublished_share, complete, coverage, yoy_pct, compared, ...
    reporters_vary: bool      # the number of publishers with figures changes from period to period
    seasonal: pd.DataFrame    # year, month, month_name, value, figures, published, withheld, withheld_share
    locations: pd.DataFrame   # location_id, location_name, country_iso3, total (for the crossing-point choice)
    mirrors: pd.DataFrame     # per crossing point x measure x flow: both totals and the largest gap
    mirror_series: pd.DataFrame   # month by month for the chosen mirror pair
    mirror_choice: str        # "location_id|measure" shown in mirror_series ("" when none)
    measure_label: str
    conflicting: int = 0      # figures of the measure and period withheld: the publisher gave conflicting values
    conflicting_publishers: str = ""


def _share(part, whole):
    return part / whole.where(whole > 0)


def _complete(series: pd.DataFrame, grain: str) -> pd.DataFrame:
    """One row per series and period from the first to the last period: a period without figures gets an
    empty value, so that charts break the line there instead of drawing across the gap."""
    series = series.assign(period=pd.to_datetime(series["period"]))
    periods = pd.date_range(series["period"].min(), series["period"].max(), freq=FREQUENCIES[grain])
    index = pd.MultiIndex.from_product([series["series"].unique(), periods], names=["series", "period"])
    full = series.set_index(["series", "period"]).reindex(index).reset_index()
    for column in ("figures", "published", "withheld", "missing", "reporters", "months"):  # counts: none is 0
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
        series["unpublished_share"] = _share(series["withheld"] + series["missing"], series["figures"])
        series = _coverage(series, grain)
        # Like for like: both sums pair a published figure with the same figure a year earlier (a publisher that
        # starts or stops publishing, or a month the data does not reach yet, is not a change in crossings).
        before = series["value_year_before"].where(series["value_year_before"] > 0)
        series["yoy_pct"] = (series["value_compared"] - before) / before * 100.0
        series = finite(series)   # a change from or to a huge figure can overflow: missing, never "inf"
        if split == "measure":
            series["series"] = series["series"].map(measure_label)

    seasonal = run(release_path, "trends_seasonal", {**params, "measures": measures, "location": loc})
    if len(seasonal):
        seasonal["withheld_share"] = _share(seasonal["withheld"], seasonal["figures"])
        seasonal["unpublished_share"] = _share(seasonal["withheld"] + seasonal["missing"], seasonal["figures"])
        seasonal["month_name"] = pd.to_datetime(seasonal["month"].astype(int).astype(str), format="%m").dt.strftime("%b")
        seasonal["year"] = seasonal["year"].astype(int).astype(str)
        seasonal["complete"] = seasonal["publishers_without_figures"].isna()

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
    conflicting, publishers = conflicting_figures(release_path, params, measures)
    return TrendsView(series=series, reporters_vary=bool(counts.nunique() > 1), seasonal=seasonal, locations=locations, mirrors=mirrors,
                      mirror_series=mirror_series, mirror_choice=choice, measure_label=measure_label(measure),
                      conflicting=conflicting, conflicting_publishers=publishers)


def conflicting_figures(release_path: str, params: dict, measures) -> tuple[int, str]:
    """How many figures of these measures in the period chosen the release withholds because the publisher gave
    conflicting values for them, and whose files they are."""
    row = run(release_path, "trends_conflicting", {"measures": measures, "date_from": params["date_from"],
                                                   "date_to": params["date_to"]}).iloc[0]
    return int(row["figures"]), str(row["publishers"])


def conflicting_words(figures: int, publishers: str, unit: str) -> str:
    """The note that figures are absent because their publisher disagreed with itself: how many, never the values
    (which is right is unknown until the publisher corrects its file), and what the count covers."""
    whose = f" ({md_escape(publishers, 160)})" if publishers else ""
    return (f"{figures:,} {'figure' if figures == 1 else 'figures'} of {unit} in the period shown "
            f"{'is' if figures == 1 else 'are'} withheld from this release because the publisher{whose} gave "
            f"conflicting values for {'it' if figures == 1 else 'them'}: rows of one file for the same crossing point, "
            f"period and measure disagree, and which is right is unknown until the publisher corrects the file. They "
            f"are not counted in the totals, not even as zero. (Counted over every border and crossing point of "
            f"the file.)")


def month_span(first, last) -> str:
    """'Jan–Feb 2025', 'Nov 2024–Feb 2025' or 'Mar 2025': the months a period's figures cover."""
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    if first == last:
        return f"{first:%b %Y}"
    return f"{first:%b}–{last:%b %Y}" if first.year == last.year else f"{first:%b %Y}–{last:%b %Y}"


def _coverage(series: pd.DataFrame, grain: str) -> pd.DataFrame:
    """complete: the period has figures (published or not) for each of its months, from each publisher with figures
    in the series; coverage and compared say which months, and whose figures are missing, in words, for the
    tooltips and the captions."""
    whole = MONTHS_PER_GRAIN[grain]
    without = series["publishers_without_figures"]
    complete = (series["months"] >= whole) & without.isna()
    spans = [month_span(a, b) if pd.notna(a) else "" for a, b in zip(series["first_month"], series["last_month"])]
    series["complete"] = complete
    series["coverage"] = [_coverage_words(c, months >= whole, s, w, grain)
                          for c, months, s, w in zip(complete, series["months"], spans, without)]
    series["compared"] = [
        f"{month_span(a, b)} against {month_span(a - pd.DateOffset(years=1), b - pd.DateOffset(years=1))}"
        if pd.notna(a) else "" for a, b in zip(pd.to_datetime(series["first_month_compared"]),
                                               pd.to_datetime(series["last_month_compared"]))]
    return series


def _coverage_words(complete: bool, all_months: bool, span: str, without, grain: str) -> str:
    """'complete', 'incomplete: Jan–Feb 2025 only', 'incomplete: no figures from USA' or 'no figures'."""
    if complete:
        return "complete"
    if not span:
        return "no figures"
    parts = [] if all_months else [f"{span} only"]
    if isinstance(without, str):
        parts.append(f"no figures from {without}" + ("" if grain == "month" else " in some months"))
    return "incomplete: " + "; ".join(parts)


def comparison_words(yoy: pd.DataFrame, grain: str) -> str:
    """The caption of the year-over-year chart: how figures are paired, and which periods are incomplete and
    compared over their own months only."""
    words = ("Each change pairs a published figure with the same crossing point's figure for the same measure "
             "and month a year earlier, also published; withheld or missing figures are left out of both sides. "
             "Compare with care where much is withheld or missing.")
    partial = yoy[yoy["months"] < MONTHS_PER_GRAIN[grain]]
    if grain == "month" or partial.empty:
        return words
    periods = "; ".join(dict.fromkeys(
        f"{_period_name(p, grain)} ({c})" for p, c in zip(partial["period"], partial["compared"])))
    return f"{words} Incomplete {grain}s, compared over the same months of both years only: {periods}."


def change_summary(yoy: pd.DataFrame) -> str:
    """The line under the year-over-year chart: how many periods rose and fell, and the extremes."""
    up, down = int((yoy["yoy_pct"] >= 0).sum()), int((yoy["yoy_pct"] < 0).sum())
    words = [f"{up} periods up and {down} down on a year earlier"]
    if up:
        words.append(f"largest rise {yoy['yoy_pct'].max():+.1f}%")
    if down:
        words.append(f"largest fall {yoy['yoy_pct'].min():+.1f}%")
    return "; ".join(words) + "."


def _period_name(period, grain: str) -> str:
    period = pd.Timestamp(period)
    return str(period.year) if grain == "year" else f"{period:%b %Y}" if grain == "month" else \
        f"Q{period.quarter} {period.year}"


def _runs(periods, reasons, grain: str):
    """(name, reason) of each run of consecutive periods with one reason: ("Mar–Jun 2025", "no figures from USA")
    for four months in a row."""
    step = pd.DateOffset(months=MONTHS_PER_GRAIN[grain])
    runs: list[list] = []
    for period, reason in sorted(zip(pd.to_datetime(periods), reasons)):
        if runs and runs[-1][2] == reason and runs[-1][1] + step == period:
            runs[-1][1] = period
        else:
            runs.append([period, period, reason])
    for first, last, reason in runs:
        if grain == "month" and first != last:
            yield month_span(first, last), reason
        elif first != last:
            yield f"{_period_name(first, grain)}–{_period_name(last, grain)}", reason
        else:
            yield _period_name(first, grain), reason


def partial_period_words(series: pd.DataFrame, grain: str) -> str:
    """The incomplete periods (columns complete, coverage, figures): some of their months only, or without a
    publisher that has figures in other periods, named with what they lack, for a caption under a chart that marks
    them ◇; "" if none."""
    partial = series[~series["complete"].astype(bool) & (series["figures"] > 0)]
    if not len(partial):
        return ""
    names = list(dict.fromkeys(f"{name} ({md_escape(c.removeprefix('incomplete: '), 300)})"
                               for name, c in _runs(partial["period"], partial["coverage"], grain)))
    periods = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
    lacking = [f"cover fewer months than a whole {grain}"] if grain != "month" else []
    if partial["coverage"].str.contains("no figures from").any():
        lacking.append("leave out a publisher with figures in other periods")
    return f"Incomplete {grain}s (marked ◇): {periods}. Their totals {' or '.join(lacking)}: not a fall"


def incomplete_words(series: pd.DataFrame, grain: str) -> str:
    """A line under the series chart naming the periods with some months only, and those with more than half of
    their figures withheld or missing (lower bounds, often a publisher whose figures end earlier); "" if none."""
    words = []
    partial = partial_period_words(series, grain)
    if partial:
        words.append(f"{partial}; their change on a year earlier pairs the same figures only.")
    thin = series[series["unpublished_share"] > 0.5]
    if len(thin):
        names = list(dict.fromkeys(_period_name(p, grain) if grain != "month" else f"{pd.Timestamp(p):%b %Y}"
                                   for p in thin["period"]))
        shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        words.append(f"More than half of the figures are withheld or missing in {shown}: totals there count the "
                     "published figures only (lower bounds), often because a publisher's figures end earlier or "
                     "start later.")
    return " ".join(words)


# ---------------------------------------------------------------------------------------------- summaries in words


def _total(values: pd.Series) -> float:
    """The sum of the published values; NaN (not 0) when none is published."""
    return float(values.sum(min_count=1))


def _nothing_published(figures: int, withheld: int) -> str:
    """'no published figure: all 26 withheld' (or how many of them are withheld, the rest not available)."""
    if figures and withheld >= figures:
        return f"no published figure: all {figures:,} withheld"
    return f"no published figure ({withheld:,} of {figures:,} withheld, the rest not available)"


def series_summary(series: pd.DataFrame, title: str, split: str, grain: str = "month") -> str:
    """The line under the series chart: the total in the period (and, broken down, the largest series). The
    period runs to the last month of the last quarter or year shown, not to its first."""
    last = series["period"].max() + pd.DateOffset(months=MONTHS_PER_GRAIN.get(grain, 1) - 1)
    if "last_month" in series and series["last_month"].notna().any():   # an incomplete last period ends earlier
        last = min(last, pd.Timestamp(series["last_month"].max()))
    periods = f"{title}, {series['period'].min():%b %Y} to {last:%b %Y}"
    if "unpublished_share" in series:   # a month a publisher left without a figure counts as missing
        share = f"on average {series['unpublished_share'].mean():.0%} of the figures withheld or missing"
    else:
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
    missing = int(seasonal["missing"].sum()) if "missing" in seasonal else 0
    unpublished = f"{withheld:,} of {figures:,} withheld" + (f", {missing:,} missing" if missing else "")
    return (f"{words}; counting published figures only ({unpublished}), the largest year total is "
            f"{count_text(by_year.max())} ({by_year.idxmax()}).")


def seasonal_coverage_words(seasonal: pd.DataFrame) -> str:
    """The caption on the same-months chart's coverage: the months marked ◇ (a publisher with figures in other
    months of that year has none in them), and which publishers have figures in which years when that changes
    (a year's line then sums other publishers' figures); "" if neither."""
    words = []
    partial = seasonal[~seasonal["complete"].astype(bool) & seasonal["value"].notna()]
    if len(partial):
        months = pd.to_datetime(partial["year"] + "-" + partial["month"].astype(int).astype(str) + "-01")
        runs = ", ".join(f"{name} (no figures from {md_escape(who, 300)})"
                         for name, who in _runs(months, partial["publishers_without_figures"], "month"))
        words.append(f"Marked ◇, off the lines: {runs}; their totals leave out a publisher with figures in other "
                     "months of the year, not a fall.")
    by_year: dict[str, set[str]] = {}
    for year, names in zip(seasonal["year"], seasonal["publishers"]):
        if isinstance(names, str):
            by_year.setdefault(year, set()).update(names.split(", "))
    if len(set(map(frozenset, by_year.values()))) > 1:
        listed = "; ".join(f"{year}: {', '.join(sorted(names))}" for year, names in sorted(by_year.items()))
        words.append(f"The publishers with figures differ between years ({md_escape(listed, 400)}): compare years "
                     "with the same publishers.")
    return " ".join(words)


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
