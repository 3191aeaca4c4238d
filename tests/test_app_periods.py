"""Comparable periods and coverage on the real trends page: a partial last year is compared over its own months,
and a month a publisher left without a figure is missing (a gap, counted in the withheld/missing share), never
a drop. Expected values are worked out here in pandas from the release's crossings table."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from data_pipeline.views.queries import PEOPLE_MEASURES
from test_app_release import app_env, no_exception, open_page, release_dir  # noqa: F401

KEY = ["location_id", "measure", "direction", "country_iso3", "neighbor_iso3", "reporter"]


def crossings(release: str, location: str | None, measures) -> pd.DataFrame:
    """The monthly rows of one crossing point (None: all places) and measures, each flow once (the inbound side's
    figure where both sides count it), read with pandas from the release's table."""
    con = duckdb.connect(str(Path(release) / "borderlens.duckdb"), read_only=True)
    try:
        rows = con.execute("select * from crossings where coalesce(location_id = ?, true) "
                           "and period_granularity = 'month'", [location]).df()
    finally:
        con.close()
    rows = rows[rows["measure"].isin(list(measures))].copy()
    rows["reporter"] = rows["reporter_iso3"].fillna(rows["reporter_org"])
    rows["month"] = pd.to_datetime(rows["period_start"])
    out = rows["direction"] == "outbound"
    rows["from"] = rows["country_iso3"].where(out, rows["neighbor_iso3"])
    rows["into"] = rows["neighbor_iso3"].where(out, rows["country_iso3"])
    inbound = set(map(tuple, rows.loc[~out, ["measure", "month", "from", "into"]].to_numpy()))
    mirrored = out & pd.Series([tuple(r) in inbound for r in rows[["measure", "month", "from", "into"]].to_numpy()],
                               index=rows.index)
    return rows[~mirrored]


def table_with(at, column: str) -> pd.DataFrame:
    """The data table (under a chart) that has this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


SAN_YSIDRO = {"border": "MEX-USA", "port": "USA-2504", "measure": "people", "grain": "year",
              "from": "2023-01", "to": "2025-02"}


def test_a_partial_last_year_is_compared_with_the_same_months_a_year_before(app_env):
    rows = crossings(app_env, "USA-2504", PEOPLE_MEASURES)
    assert rows["month"].max() == pd.Timestamp("2025-02-01"), "the demo's San Ysidro figures end in Feb 2025"
    published = rows[rows["value"].notna()]
    this = published[published["month"].dt.year == 2025]
    before = published[published["month"].dt.year == 2024].assign(month=lambda r: r["month"] + pd.DateOffset(years=1))
    pairs = this.merge(before, on=KEY + ["month"], suffixes=("", "_before"))
    expected = (pairs["value"].sum() - pairs["value_before"].sum()) / pairs["value_before"].sum() * 100
    whole_year = (this["value"].sum() - before["value"].sum()) / before["value"].sum() * 100
    assert whole_year < -80, whole_year   # the old figure: Jan-Feb 2025 against all of 2024

    at = open_page("trends", SAN_YSIDRO)
    no_exception(at)
    yoy = table_with(at, "value_year_before")
    row = yoy[pd.to_datetime(yoy["period"]).dt.year == 2025].iloc[0]
    assert row["yoy_pct"] == pytest.approx(expected, abs=0.05), (row, expected)
    assert row["compared"] == "Jan–Feb 2025 against Jan–Feb 2024"
    assert row["value_compared"] == pytest.approx(pairs["value"].sum())
    assert row["value_year_before"] == pytest.approx(pairs["value_before"].sum())
    series = table_with(at, "coverage")
    assert series.loc[pd.to_datetime(series["period"]).dt.year == 2025, "coverage"].iloc[0] == \
        "incomplete: Jan–Feb 2025 only"
    captions = " ".join(c.value for c in at.caption)
    assert "2025 (Jan–Feb 2025 against Jan–Feb 2024)" in captions
    assert "Incomplete years (marked ◇): 2025 (Jan–Feb 2025 only)" in captions


def test_a_month_without_a_source_row_is_missing_not_a_drop(app_env):
    """The demo's Polish file has no usable Terespol personal-vehicle inbound figure for Sep 2024 (its cell says
    "n/a?" and goes to quarantine): the month's total holds one of its two figures, and says so."""
    rows = crossings(app_env, "POL-TERESPOL", ["personal_vehicles"])
    window = rows[(rows["month"] >= "2024-01-01") & (rows["month"] <= "2025-06-01")]
    months = pd.date_range("2024-01-01", "2025-06-01", freq="MS")
    keys = window[KEY].drop_duplicates()
    expected = keys.merge(pd.DataFrame({"month": months}), how="cross")
    found = expected.merge(window, on=KEY + ["month"], how="left", indicator=True)
    per_month = found.groupby("month").agg(figures=("_merge", "size"),
                                           absent=("_merge", lambda m: int((m == "left_only").sum())),
                                           unpublished=("value", lambda v: int(v.isna().sum())),
                                           value=("value", lambda v: v.sum(min_count=1)))
    gaps = per_month[per_month["absent"] > 0]
    assert list(gaps.index) == [pd.Timestamp("2024-09-01")], gaps

    at = open_page("trends", {"border": "BLR-POL", "port": "POL-TERESPOL", "measure": "personal_vehicles",
                              "grain": "month", "from": "2024-01", "to": "2025-06"})
    no_exception(at)
    series = table_with(at, "unpublished_share").assign(month=lambda t: pd.to_datetime(t["period"]))
    series = series.set_index("month")
    september = series.loc[pd.Timestamp("2024-09-01")]
    assert september["unpublished_share"] == pytest.approx(per_month.loc["2024-09-01", "unpublished"] /
                                                           per_month.loc["2024-09-01", "figures"])
    assert september["unpublished_share"] == pytest.approx(0.5)
    assert september["value"] == pytest.approx(per_month.loc["2024-09-01", "value"])
    shares = per_month["unpublished"] / per_month["figures"]
    assert series["unpublished_share"].to_numpy() == pytest.approx(shares.to_numpy())
    summary = next(c.value for c in at.caption if " per month, Jan 2024 to Jun 2025" in c.value)
    assert "at least" in summary and "withheld or missing" in summary, summary


def test_a_month_a_publisher_did_not_cover_is_incomplete_not_a_fall(app_env):
    """The demo's US figures end in Feb 2025, the European publishers' in Jun 2025: the months after February
    total the European figures only. They are marked incomplete (off the line, ◇), naming the publisher whose
    figures are missing; the months every publisher covers are complete (the control)."""
    rows = crossings(app_env, None, PEOPLE_MEASURES)
    rows = rows[(rows["month"] >= "2024-11-01") & (rows["month"] <= "2025-06-01")]
    months = pd.date_range("2024-11-01", "2025-06-01", freq="MS")
    present = rows.groupby("reporter")["month"].agg(set)
    expected = {m: ", ".join(sorted(r for r, seen in present.items() if m not in seen)) for m in months}
    assert expected[pd.Timestamp("2025-03-01")] == "USA" and expected[pd.Timestamp("2025-02-01")] == ""
    total = rows.groupby("month")["value"].sum()
    assert total["2025-03-01"] < total["2025-02-01"] / 10   # drawn on the line, this would read as a fall

    at = open_page("trends", {"measure": "people", "grain": "month", "from": "2024-11", "to": "2025-06"})
    no_exception(at)
    series = table_with(at, "coverage").assign(month=lambda t: pd.to_datetime(t["period"])).set_index("month")
    for month in months:
        assert series.loc[month, "coverage"] == (f"incomplete: no figures from {expected[month]}" if expected[month]
                                                 else "complete"), month
    assert series.loc[pd.Timestamp("2025-03-01"), "value"] == pytest.approx(total["2025-03-01"])
    captions = " ".join(c.value for c in at.caption)
    assert "Incomplete months (marked ◇): Mar–Jun 2025 (no figures from USA)" in captions, captions
    assert "leave out a publisher with figures in other periods: not a fall" in captions
    # the same months of earlier years: within 2025, March to June leave out the US figures too
    seasonal = table_with(at, "publishers_without_figures")
    in_2025 = seasonal[seasonal["year"] == "2025"].set_index("month_name")
    assert list(in_2025["publishers_without_figures"].dropna().index) == ["Mar", "Apr", "May", "Jun"]
    assert in_2025.loc["Jan", "publishers"] == ", ".join(sorted(r for r, seen in present.items()
                                                               if pd.Timestamp("2025-01-01") in seen))
    assert "Marked ◇, off the lines: Mar–Jun 2025 (no figures from USA)" in captions, captions


def test_a_map_tooltip_gives_the_months_of_the_places_figures_not_the_sliders(app_env):
    """The period chosen runs to Oct 2026 (exercise notices), but San Ysidro's figures end in Feb 2025."""
    rows = crossings(app_env, "USA-2504", PEOPLE_MEASURES)
    first = max(rows["month"].min(), pd.Timestamp("2024-11-01"))
    last = rows["month"].max()
    at = open_page("map", {"layers": "crossings", "from": "2024-11", "to": "2026-10"})
    no_exception(at)
    points = json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"]
    tooltips = [d["tooltip"] for layer in points for d in (layer.get("data") or []) if isinstance(d, dict)
                and "(USA-2504)" in d.get("tooltip", "")]
    assert tooltips, "San Ysidro is drawn"
    assert f"({first:%b %Y} – {last:%b %Y})" in tooltips[0], tooltips[0]
    assert "Oct 2026" not in tooltips[0]
