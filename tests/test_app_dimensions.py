"""The dashboard over a cube (issue 10, point 4): a filter per dimension (in the URL, checked), sums that never
count a publisher's own total beside its parts, the Breakdown page, routes on the map as areas, and the ranking of
crossing points without routes. Real CLI, real DuckDB releases, real pages through AppTest; expected figures are
worked out by hand from the small file below, or read from the Frontex CSV with the csv module."""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date

import pyarrow as pa
import pytest

from support import SAMPLE, run_cli, write
from test_app_release import app_env, new_app, no_exception, open_page, release_dir, warnings_text  # noqa: F401

PROFILE = """
[profile]
name = "test-province-cube"
dataset = "crossings"
title = "Test: persons by province, category and nationality (synthetic)"
publisher = "borderlens tests"
licence = "CC0-1.0"
synthetic = true

[read]
format = "csv"

[dates]
formats = ["%Y-%m"]

[fields]
place_kind = { value = "region" }
location_id = { column = "province", prefix = "CAN-" }
location_name = "province"
country_iso3 = { value = "CAN" }
neighbor_iso3 = { value = "USA" }
reporter_iso3 = { value = "CAN" }
direction = { value = "inbound" }
period = "month"
period_granularity = { value = "month" }
measure = { value = "persons" }
value = "persons"

[dimensions]
nationality = { column = "nat", codes = "iso3166", total = "TOTAL" }
category = { column = "category", map = "categories", unmapped = "slug", total = "TOTAL" }

[vocab.categories]
"Residents" = "residents"
"Visitors" = "visitors"
"""
# Labelled synthetic. In March the publisher gives the residents' total over nationalities (135 = 120 + 15) and
# the visitors' parts only; in April it gives no total at all, and the total over categories for USA only.
DATA = """province,category,nat,month,persons
ON,Residents,USA,2024-03,120
ON,Residents,MEX,2024-03,15
ON,Residents,TOTAL,2024-03,135
ON,Visitors,USA,2024-03,300
ON,Visitors,MEX,2024-03,20
ON,Residents,USA,2024-04,50
ON,Visitors,USA,2024-04,70
ON,TOTAL,USA,2024-04,120
ON,Visitors,MEX,2024-04,9
"""
NO_RULES = ('[policy]\nname = "no crossings rule"\n\n[[rule]]\nid = "round"\ndataset = "infrastructure_projects"\n'
            'action = "round_to"\nfields = ["budget"]\nbase = 1000\nreason = "none"\n')


@pytest.fixture(scope="module")
def cube_release(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("cube-app")
    profile = write(folder / "cube.toml", PROFILE)
    data = write(folder / "cube.csv", DATA)
    work, release = folder / "work.duckdb", folder / "release"
    run_cli("ingest", data, "--profile", profile, "--db", work, "--no-progress")
    run_cli("publish", "--db", work, "--policy", write(folder / "policy.toml", NO_RULES), "--out", release)
    return str(release)


def _monthly(release: str, **dimensions) -> dict[str, float]:
    from data_pipeline.views.queries import Filters
    from data_pipeline.views.queries_trends import trends_view

    chosen = tuple(sorted((name, tuple(codes)) for name, codes in dimensions.items()))
    view = trends_view(release, Filters(date_from=date(2024, 3, 1), date_to=date(2024, 4, 30), dimensions=chosen),
                       "persons", "month", "total", "all", "")
    return {f"{p:%Y-%m}": v for p, v in zip(view.series["period"], view.series["value"])}


def test_a_publishers_total_stands_for_its_parts_and_is_never_added_to_them(cube_release):
    # March: residents 135 (the publisher's total, not 120 + 15 + 135) + visitors 300 + 20; April: USA 120 (its
    # total over categories) + MEX visitors 9
    assert _monthly(cube_release) == {"2024-03": 455.0, "2024-04": 129.0}
    # one nationality: its parts (the residents' total is over nationalities, not one of them)
    assert _monthly(cube_release, nationality=["USA"]) == {"2024-03": 420.0, "2024-04": 120.0}
    assert _monthly(cube_release, nationality=["MEX"]) == {"2024-03": 35.0, "2024-04": 9.0}
    # one category: the residents' total in March; in April only the parts by nationality exist
    assert _monthly(cube_release, category=["residents"]) == {"2024-03": 135.0, "2024-04": 50.0}
    assert _monthly(cube_release, category=["visitors"], nationality=["MEX", "USA"]) == {"2024-03": 320.0,
                                                                                        "2024-04": 79.0}


def test_the_breakdown_holds_the_dimension_it_shows(cube_release):
    from data_pipeline.views.queries import Filters, filter_options
    from data_pipeline.views.queries_breakdown import breakdown_view

    options = filter_options(cube_release)
    assert set(options.dimensions["code"]) == {"USA", "MEX", "residents", "visitors"}   # no '_total' to choose
    view = breakdown_view(cube_release, Filters(date_from=date(2024, 3, 1), date_to=date(2024, 4, 30)), options,
                          "nationality", "persons", "all", "month")
    by_code = dict(zip(view.codes["code"], view.codes["total"]))
    # USA: March 120 + 300, April its total over categories 120; MEX: 15 + 20 + 9. The residents' total over
    # nationalities (135) is no nationality's
    assert by_code == {"USA": 540.0, "MEX": 44.0}
    assert list(view.codes["share_text"]) == [f"{540 / 584:.1%}", f"{44 / 584:.1%}"]


FRONTEX = SAMPLE / "crossings" / "frontex_irregular_border_crossings_monthly_2009-01_2025-04.csv"


def _frontex(nat: str | None = None, route: str | None = None, first="2023-01", last="2024-12") -> Counter:
    """Sums per year of the Frontex file, read with the csv module."""
    totals: Counter = Counter()
    with open(FRONTEX, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if first <= row["t"] <= last and (nat is None or row["nat"] == nat) \
                    and (route is None or row["route"] == route):
                totals[row["t"][:4]] += int(row["n"])
    return totals


def test_trends_filtered_by_nationality_match_the_frontex_file(app_env):
    at = open_page("trends", {"dim_nationality": "SYR", "measure": "irregular_border_crossings", "grain": "year",
                              "from": "2023-01", "to": "2024-12"})
    no_exception(at)
    assert at.query_params["dim_nationality"] == ["SYR"] or at.query_params["dim_nationality"] == "SYR"
    total = sum(_frontex(nat="SYR").values())
    summary = next(c.value for c in at.caption if " per year, Jan 2023 to Dec 2024" in c.value)
    assert f"{total:,.0f}" in summary, summary


def test_a_dimension_code_the_release_does_not_have_is_left_out_with_a_message(app_env):
    at = new_app({"dim_nationality": "SYR,<b>QQ</b>"}).run()
    no_exception(at)
    assert "The link asks for the nationality “bQQb”" in warnings_text(at)
    assert at.session_state["dim_nationality"] == ["SYR"]


def test_the_breakdown_page_ranks_a_routes_nationalities(app_env):
    route = "Eastern Mediterranean Route"
    at = open_page("breakdown", {"dimension": "nationality", "place": "FRX-ROUTE-eastern_mediterranean_route",
                                 "grain": "year", "from": "2023-01", "to": "2024-12"})
    no_exception(at)
    assert "The link asks for" not in warnings_text(at)
    table = at.dataframe[-1].value
    expected: Counter = Counter()
    with open(FRONTEX, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["route"] == route and "2023-01" <= row["t"] <= "2024-12":
                expected[row["nat"]] += int(row["n"])
    assert dict(zip(table["code"], table["total"])) == {c: float(v) for c, v in expected.items()}
    assert list(table["code"][:3]) == [c for c, _ in expected.most_common(3)]


@pytest.mark.parametrize("grain, interval, step", [("year", "year", 1), ("quarter", "month", 3)])
def test_the_breakdown_chart_ticks_at_its_time_step(app_env, grain, interval, step):
    """Two yearly points drew twelve monthly ticks (Jan 2023, Feb 2023, ...): a tick is one step of the figures."""
    at = open_page("breakdown", {"dimension": "nationality", "place": "FRX-ROUTE-eastern_mediterranean_route",
                                 "grain": grain, "from": "2023-01", "to": "2024-12"})
    no_exception(at)
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    axes = [spec["encoding"]["x"].get("axis", {}) for spec in specs if "encoding" in spec]
    assert axes and all(axis.get("tickCount") == {"interval": interval, "step": step} for axis in axes), axes
    assert all(axis.get("format") == ("%Y" if grain == "year" else "%b %Y") for axis in axes), axes


def test_bad_breakdown_links_fall_back_with_a_message(app_env):
    at = open_page("breakdown", {"dimension": "'; drop table crossings; --", "place": "nowhere", "grain": "decade"})
    no_exception(at)
    words = warnings_text(at)
    assert "the breakdown" in words and "the place" in words and "the time step" in words


def test_routes_are_areas_on_the_map_and_no_crossing_points_in_the_ranking(release_dir):
    from data_pipeline.views.queries import Filters, filter_options
    from data_pipeline.views.queries_map import map_view

    data = map_view(release_dir, Filters(date_from=date(2023, 1, 1), date_to=date(2024, 12, 31)),
                    "irregular_border_crossings", ("crossings",))
    areas = data.crossings[data.crossings["area"]]
    assert set(areas["name"]) == {"Central Mediterranean Route", "Eastern Mediterranean Route",
                                  "Western Mediterranean Route", "Western African Route", "Western Balkan Route",
                                  "Eastern Borders Route", "Black Sea Route", "Circular Route from Albania to Greece"}
    assert data.counts["crossings"] == 0 and data.counts["areas"] == 8 and data.counts["unplaced"] == 1  # "Other"
    options = filter_options(release_dir)
    assert "irregular_border_crossings" in options.measures
    assert "irregular_border_crossings" not in options.port_measures and "trucks" in options.port_measures


def test_the_breakdown_marks_years_with_some_months_only(app_env):
    """Nov 2024 to Apr 2025 by year: two months of 2024 and the four of 2025 that Frontex published (its file ends
    in April 2025) are no years to compare; the chart leaves them off its line (hollow diamonds) and says so."""
    at = open_page("breakdown", {"dimension": "nationality", "place": "FRX-ROUTE-eastern_mediterranean_route",
                                 "grain": "year", "from": "2024-11", "to": "2025-10"})
    no_exception(at)
    words = " ".join(c.value for c in at.caption)
    assert "Incomplete years (marked ◇): 2024 (Nov–Dec 2024 only), 2025 (Jan–Apr 2025 only)" in words, words
    [chart] = at.get("vega_lite_chart")
    line, diamonds = json.loads(chart.proto.spec)["layer"]
    assert diamonds["mark"]["shape"] == "diamond"
    data = {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in chart.proto.datasets}
    joined, marked = data[line["data"]["name"]], data[diamonds["data"]["name"]]
    assert len(joined) and joined["value"].isna().all()   # no year on the line
    assert len(marked) and marked["value"].notna().all() and not marked["complete"].any()
    # control: whole years are joined and not named
    at = open_page("breakdown", {"dimension": "nationality", "place": "FRX-ROUTE-eastern_mediterranean_route",
                                 "grain": "year", "from": "2023-01", "to": "2024-12"})
    assert not any("Incomplete" in c.value for c in at.caption)
