"""Dates in words as exactly as they were published (issue 11, point 2): a date known only to the month or the year
is never written as a day."""

from __future__ import annotations

import pandas as pd

from data_pipeline.views.queries import date_text

# How a date published to the month or the year is written: never as a day the publisher did not give.
PRECISION_FORMATS = {"day": "%d %b %Y", "month": "%b %Y", "year": "%Y"}


def precise_date(value, precision, day_format: str = PRECISION_FORMATS["day"]) -> str:
    """'15 Jan 1980' (or the date in day_format), 'Jan 1980' (the day unknown) or '1980' (the month unknown); ''
    for no date."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    given = precision if isinstance(precision, str) else "day"
    return date_text(value, day_format if given == "day" else PRECISION_FORMATS.get(given, day_format))


def coarsened_words(unit) -> str:
    """The marker of a date the policy coarsened (time_coarsened_to: week, month or year); '' when no rule did. A
    date published to the month says so by being written 'Jan 1980', not by this marker: nobody coarsened it."""
    return f"date coarsened to the {unit}" if unit in ("week", "month", "year") else ""
