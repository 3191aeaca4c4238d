"""One dimension's breakdown (the Breakdown page): a dimension's codes over time at a place, such as the
nationalities of the people detected on a migratory route, and the codes ranked by their total.

The dimension broken down is held, never summed: its codes are passed to the shared filter macro as chosen (all of
them unless the sidebar narrows it), so a publisher's own total over it stays out and each code is a series. A
share of the total is given only when no figure of the place and period is withheld: otherwise a withheld figure
could change it, and the table says unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from data_pipeline.views.queries import Filters, FilterOptions, measure_label, measures_for, run
from data_pipeline.views.queries_trends import MONTHS_PER_GRAIN, month_span, partial_period_words

TOP_CODES = 8          # codes drawn as series of their own; the rest are one series, "other codes"
GRAINS = ("month", "quarter", "year")
ALL_PLACES = "all"


@dataclass(frozen=True)
class Breakdown:
    places: pd.DataFrame      # location_id, location_name, place_kind, total: places broken down by the dimension
    series: pd.DataFrame      # period, series (a code's label, or "other codes"), value, figures, published, ...,
                              # complete and coverage (period_coverage)
    codes: pd.DataFrame       # rank, code, label, total, share_text, figures, published, withheld
    measure_label: str
    withheld: int             # figures withheld among those broken down (shares are unknown when > 0)


def dimension_measures(release_path: str, dimension: str) -> list[str]:
    """The measures whose figures some publisher breaks down by the dimension, most figures first."""
    rows = run(release_path, "breakdown_measures", {"dimension": dimension})
    return list(rows["measure"])


def held(filters: Filters, dimension: str, codes: list[str]) -> Filters:
    """The filters with the dimension held at its chosen codes (all of them when the sidebar chose none)."""
    chosen = dict(filters.dimensions)
    if not chosen.get(dimension):
        chosen[dimension] = tuple(sorted(codes))
    return replace(filters, dimensions=tuple(sorted(chosen.items())))


def period_coverage(series: pd.DataFrame, grain: str) -> pd.DataFrame:
    """complete: the period has figures in each of its months (period_months, of any code); coverage says which
    months in words. A year of four months' figures drawn beside a whole year would read as a fall or a rise."""
    series["complete"] = series["period_months"] >= MONTHS_PER_GRAIN[grain]
    series["coverage"] = ["complete" if whole else f"incomplete: {month_span(a, b)} only"
                          for whole, a, b in zip(series["complete"], series["first_month"], series["last_month"])]
    return series


def partial_words(series: pd.DataFrame, grain: str) -> str:
    """The caption naming the breakdown's incomplete periods (marked ◇ on its chart); "" if none."""
    words = partial_period_words(series, grain)
    return f"{words} or a rise: compare whole {grain}s only." if words else ""


def breakdown_view(release_path: str, filters: Filters, options: FilterOptions, dimension: str, measure: str,
                   location: str, grain: str) -> Breakdown:
    frame = options.dimensions
    labels = frame[frame["dimension"] == dimension].set_index("code")["label"].to_dict() if len(frame) else {}
    params = {**held(filters, dimension, list(labels)).params(), "dimension": dimension,
              "measures": measures_for(measure)}
    places = run(release_path, "breakdown_places", params)
    where = {**params, "location": None if location == ALL_PLACES else location}
    series = run(release_path, "breakdown_series", {**where, "grain": grain, "top": TOP_CODES})
    codes = run(release_path, "breakdown_codes", where)

    def label(code: str) -> str:
        name = labels.get(code, code)
        return code if name == code else f"{name} ({code})"

    if len(series):
        series["series"] = series["series"].map(lambda c: c if c == "other codes" else label(c))
        series = period_coverage(series, grain)
    withheld = int(codes["withheld"].sum()) if len(codes) else 0
    if len(codes):
        codes.insert(2, "label", codes["code"].map(lambda c: labels.get(c, c)))
        codes["share_text"] = [("unknown: a withheld figure could change it" if withheld
                                else "" if pd.isna(s) else f"{s:.1%}") for s in codes["share"]]
    return Breakdown(places=places, series=series, codes=codes, measure_label=measure_label(measure),
                     withheld=withheld)
