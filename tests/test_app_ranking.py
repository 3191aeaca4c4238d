"""Crossing points ranked (pages/ranking.py and the Overview's busiest points) and the default period, on the
real demo release. The expected figures are worked out here in pandas from the release's crossings table:
coverage (a month a publisher left without a figure is missing), each flow once (inbound first), each point's
last 12 complete months against the 12 before, and the change over the figures published in both years."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl

import duckdb
import pandas as pd
import pytest

from data_pipeline.views.queries import Filters
from data_pipeline.views.queries_overview import overview
from test_app_release import app_env, no_exception, open_page, release_dir, warnings_text  # noqa: F401

KEY = ["location_id", "measure", "direction", "country_iso3", "neighbor_iso3", "reporter"]


def _release_rows(release: str, sql: str) -> pd.DataFrame:
    con = duckdb.connect(str(Path(release) / "borderlens.duckdb"), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def covered_cells(release: str, measures: list[str]) -> pd.DataFrame:
    """One row per series key and month from the selection's first to its last month: the published value (NaN
    when withheld or when no side has a row for the flow that month), whether the row is absent, each flow
    once (an outbound figure is dropped where the other side's inbound one, present or absent, exists)."""
    rows = _release_rows(release, "select * from crossings where period_granularity = 'month'")
    rows = rows[rows["measure"].isin(measures)].copy()
    rows["reporter"] = rows["reporter_iso3"].fillna(rows["reporter_org"])
    rows["month"] = pd.to_datetime(rows["period_start"])
    out = rows["direction"] == "outbound"
    rows["from"] = rows["country_iso3"].where(out, rows["neighbor_iso3"])
    rows["into"] = rows["neighbor_iso3"].where(out, rows["country_iso3"])
    flow = ["location_id", "measure", "month", "from", "into"]
    seen = set(map(tuple, rows[flow].astype(str).to_numpy()))
    keys = rows[KEY + ["from", "into"]].drop_duplicates()
    months = pd.DataFrame({"month": pd.date_range(rows["month"].min(), rows["month"].max(), freq="MS")})
    grid = keys.merge(months, how="cross")
    absent = grid[[tuple(r) not in seen for r in grid[flow].astype(str).to_numpy()]].assign(
        value=float("nan"), withheld=0, absent=True)
    present = rows.assign(withheld=rows["value_status"].isin(["withheld_by_publisher", "suppressed", "dropped"])
                          .astype(int), absent=False)
    cells = pd.concat([present[KEY + ["from", "into", "month", "value", "withheld", "absent"]], absent],
                      ignore_index=True)
    inbound = set(map(tuple, cells.loc[cells["direction"] != "outbound", flow].astype(str).to_numpy()))
    mirrored = (cells["direction"] == "outbound") & pd.Series(
        [tuple(r) in inbound for r in cells[flow].astype(str).to_numpy()], index=cells.index)
    return cells[~mirrored]


def last_two_years(cells: pd.DataFrame, owner: str) -> pd.DataFrame:
    """Per owner: the last 12 months to its latest month with a row, the 12 before, and the like-with-like sums."""
    latest = cells[~cells["absent"]].groupby(owner)["month"].max().rename("latest")
    cells = cells.join(latest, on=owner)
    age = (cells["latest"].dt.year - cells["month"].dt.year) * 12 + cells["latest"].dt.month - cells["month"].dt.month
    cells = cells[(age >= 0) & (age < 24)].assign(window=lambda c: (age[c.index] >= 12).map({False: "last",
                                                                                               True: "previous"}))
    last, before = cells[cells["window"] == "last"], cells[cells["window"] == "previous"]
    shifted = before.assign(month=before["month"] + pd.DateOffset(years=1))
    pairs = last.dropna(subset=["value"]).merge(shifted.dropna(subset=["value"]), on=KEY + ["month"],
                                                suffixes=("", "_before"))
    return pd.DataFrame({
        "last_12": last.groupby(owner)["value"].sum(min_count=1),
        "previous_12": before.groupby(owner)["value"].sum(min_count=1),
        "figures_last": last.groupby(owner).size(),
        "unpublished_last": last.groupby(owner)["value"].apply(lambda v: int(v.isna().sum())),
        "compared_last": pairs.groupby(owner)["value"].sum(),
        "compared_previous": pairs.groupby(owner)["value_before"].sum(),
        "latest": latest,
    })


def test_the_ranking_matches_an_independent_computation(app_env):
    expected = last_two_years(covered_cells(app_env, ["trucks"]), "location_id")
    expected["change_pct"] = (expected["compared_last"] - expected["compared_previous"]) / \
        expected["compared_previous"] * 100
    expected = expected.rename_axis("location_id").reset_index().sort_values(
        ["last_12", "location_id"], ascending=[False, True], na_position="last").set_index("location_id")
    at = open_page("ranking", {"measure": "trucks", "sort": "busiest"})
    no_exception(at)
    shown = at.dataframe[0].value.set_index("location_id")
    assert list(shown.index) == list(expected.index), "the order, busiest first"
    ranked = shown["last_12"].notna()
    assert list(shown.loc[ranked, "rank"]) == list(range(1, int(ranked.sum()) + 1))
    assert shown.loc[~ranked, "rank"].isna().all()   # no published figure: no rank, said in words
    assert (shown.loc[~ranked, "rank_status"] == "unknown: no published figure").all()
    both = shown.join(expected, suffixes=("", "_expected"))
    assert both["last_12"].to_numpy() == pytest.approx(both["last_12_expected"].to_numpy(), nan_ok=True)
    assert both["previous_12"].to_numpy() == pytest.approx(both["previous_12_expected"].to_numpy(), nan_ok=True)
    share = both["unpublished_last"] / both["figures_last"]
    assert both["unpublished_share_last"].to_numpy() == pytest.approx(share.to_numpy(), nan_ok=True)
    changes = [f"{c:+.1f}%" if pd.notna(c) else "not comparable" for c in both["change_pct"]]
    assert list(both["change"]) == changes
    assert (pd.to_datetime(both["window_to"]) == both["latest"]).all()
    # a total with withheld or missing figures is a lower bound, and its rank is not certain
    lower = both[(both["unpublished_last"] > 0) & both["last_12"].notna()]
    assert len(lower) and lower["last_12_status"].str.startswith("at least").all()
    assert (lower["rank_status"] != "certain").all()


def test_the_sort_and_measure_are_in_the_url_and_checked(app_env):
    at = open_page("ranking", {"measure": "trucks", "sort": "rise"})
    no_exception(at)
    shown = at.dataframe[0].value
    changes = shown["change"].str.rstrip("%").replace("not comparable", None).astype(float)
    compared = changes.dropna()
    assert list(compared) == sorted(compared, reverse=True) and changes.isna().sum() == len(changes) - len(compared)
    assert changes.notna().iloc[:len(compared)].all(), "not comparable rows go last"
    at.selectbox(key="ranking_sort").set_value("name").run()
    assert at.query_params["sort"] == "name" and at.query_params["measure"] == "trucks"
    names = list(at.dataframe[0].value["location_name"])
    assert names == sorted(names, key=str.casefold)

    at = open_page("ranking", {"measure": "<b>x</b>", "sort": "; drop table"})
    no_exception(at)
    text = warnings_text(at)
    assert "the measure" in text and "the order of the table" in text and "<b>" not in text
    assert at.query_params["sort"] == "busiest" and at.query_params["measure"] == "people"


def test_a_row_links_to_its_trends_view(app_env):
    at = open_page("ranking", {"measure": "trucks", "border": "MEX-USA"})
    no_exception(at)
    row = at.dataframe[0].value.iloc[0]
    link = row["trends_link"]
    assert link.startswith("trends?") and "://" not in link
    query = dict(parse_qsl(link.split("?", 1)[1]))
    assert query["port"] == row["location_id"] and query["measure"] == "trucks" and query["border"] == "MEX-USA"
    assert query["to"] == f"{pd.Timestamp(row['window_to']):%Y-%m}"
    trends = open_page("trends", query)
    no_exception(trends)
    assert "The link asks" not in warnings_text(trends)
    assert trends.selectbox(key="trends_port").value == row["location_id"]
    assert trends.selectbox(key="trends_measure").value == "trucks"


def test_the_overview_change_compares_the_same_figures(release_dir):
    """Each publisher's last 12 months against its 12 before, summed over the figures published in both years."""
    measures = ["persons", "pedestrians", "personal_vehicle_passengers", "bus_passengers", "train_passengers"]
    per_reporter = last_two_years(covered_cells(release_dir, measures), "reporter")
    expected = (per_reporter["compared_last"].sum() - per_reporter["compared_previous"].sum()) / \
        per_reporter["compared_previous"].sum() * 100
    data = overview(release_dir, Filters(), "2100-01-01")
    people = data.crossings.set_index("measure").loc["people"]
    assert people["change_pct"] == pytest.approx(expected)
    assert people["last_12"] == pytest.approx(per_reporter["last_12"].sum())
    assert people["unpublished_share_last"] == pytest.approx(
        per_reporter["unpublished_last"].sum() / per_reporter["figures_last"].sum())
    assert data.busiest is not None and data.busiest.measure_label == "people, all modes"


def test_the_overview_shows_the_busiest_points_with_a_link_to_the_ranking(app_env):
    at = open_page(None)
    no_exception(at)
    busiest = next(d.value for d in at.dataframe if "rank_status" in d.value.columns)
    assert list(busiest["rank"]) == [1, 2, 3, 4, 5]
    assert busiest["trends_link"].str.startswith("trends?port=").all()
    assert any(link.proto.page.endswith("ranking") or "ranking" in link.proto.page for link in at.get("page_link"))


def test_the_default_period_is_the_latest_24_months_of_data(app_env):
    days = _release_rows(app_env, """select max(d) as last from (
        select period_start as d from crossings union all select notified_on from exercise_notices
        union all select start_date from exercise_notices) where d between date '1900-01-01' and date '2199-12-31'""")
    last = pd.Timestamp(days["last"].iloc[0]).to_period("M")
    at = open_page(None)
    no_exception(at)
    assert at.query_params["to"] == str(last)
    assert at.query_params["from"] == str(last - 23)
    assert at.sidebar.select_slider(key="period").value == (str(last - 23), str(last))


def test_a_link_with_only_an_end_month_opens_the_24_months_to_it(app_env):
    at = open_page(None, {"to": "2024-06"})
    no_exception(at)
    assert (at.query_params["from"], at.query_params["to"]) == ("2022-07", "2024-06")
    assert "backwards" not in warnings_text(at)


def test_the_ranking_download_holds_numbers_statuses_and_guarded_text(release_dir):
    """The CSV of the ranking as its download button builds it: numbers as numbers, the change as a number with
    its status beside it, dates as ISO dates; a text cell that starts like a formula gets the guard."""
    import io

    from data_pipeline.views import downloads as D
    from data_pipeline.views.queries_ranking import COLUMNS, ranking

    table = ranking(release_dir, Filters(), "trucks").table
    hostile = table.assign(location_name=["=1+2"] + list(table["location_name"].iloc[1:]))
    data = D.view_file(D.analysis_frame(COLUMNS, hostile), "csv")
    back = pd.read_csv(io.BytesIO(data), dtype={"location_id": str})
    assert "change" not in back.columns and {"change_pct", "change_status"} <= set(back.columns)
    for column in ("rank", "last_12", "previous_12", "change_pct", "figures_compared", "unpublished_share_last"):
        assert pd.api.types.is_numeric_dtype(back[column]), column
    assert back["last_12"].tolist() == pytest.approx(table["last_12"].tolist(), nan_ok=True)
    compared = table["change_pct"].notna()
    assert back.loc[compared.to_numpy(), "change_pct"].tolist() == pytest.approx(table.loc[compared, "change_pct"].tolist())
    assert (back.loc[~compared.to_numpy(), "change_status"].str.startswith("not comparable")).all()
    assert back["window_to"].str.fullmatch(r"\d{4}-\d{2}-01").all()
    assert back["location_name"].iloc[0] == "'=1+2"
    assert back["trends_link"].str.startswith("trends?port=").all()


def test_an_embedded_ranking_ends_with_its_source_line(app_env):
    """docs/sharing.md: every page's embedded view ends with a one-line source; the Ranking has no embed view of
    its own, so app.py writes it (before, it had none)."""
    at = open_page("ranking", embedded=True)
    no_exception(at)
    sources = [c.value for c in at.caption if "Source:" in c.value]
    assert len(sources) == 1 and "borderlens release" in sources[0] and "Full view" in sources[0], sources


def test_the_links_made_once_per_month_are_each_points_own_link():
    """ranking() makes the Trends links of thousands of points at once (the part after the point's id once per
    latest month): the same text as each point's own link, all its values through urlencode, ids that need quoting
    included."""
    import datetime as dt
    from urllib.parse import urlencode

    from data_pipeline.views.queries_ranking import trends_links

    def own_link(port: str, last: pd.Timestamp) -> str:
        return "trends?" + urlencode({"port": port, "measure": "people", "grain": "month",
                                      "from": f"{last - pd.DateOffset(months=23):%Y-%m}", "to": f"{last:%Y-%m}",
                                      "border": "MEX-USA", "countries": "MEX,USA"})

    filters = Filters(border=("MEX", "USA"), countries=("MEX", "USA"), date_from=dt.date(2000, 1, 1),
                      date_to=dt.date(2024, 12, 31))
    ids = ["USA-2504", "a b&c=d/é", "X+Y", "", "USA-0901"]
    months = [pd.Timestamp("2024-12-01")] * 3 + [pd.Timestamp("2023-05-01")] * 2
    links = trends_links(ids, "people", filters, months)
    assert links == [own_link(i, m) for i, m in zip(ids, months)]
    assert links[1].startswith("trends?port=a+b%26c%3Dd%2F%C3%A9&measure=people&grain=month&from=2023-01&to=2024-12")
