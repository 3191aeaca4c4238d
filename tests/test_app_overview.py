"""Overview (app.py): the shared sidebar, query parameters, the release banner and the headline numbers."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from data_pipeline.views.queries import Filters, open_release
from data_pipeline.views.queries_overview import NOTICE_WINDOW_DAYS, overview
from support import query
from test_app_notices import STARTS, undecided_by_sql
from test_app_release import app_env, new_app, no_exception, open_page, release_dir, warnings_text  # noqa: F401


def _metric(at, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def test_overview_runs_and_writes_the_filters_into_the_url(app_env):
    at = open_page(None)
    no_exception(at)
    assert at.title[0].value == "Overview"
    assert {"border", "from", "to"} <= set(at.query_params.keys())
    assert at.query_params["border"] == "all"
    assert "Synthetic demo data" in warnings_text(at)       # the demo notices and projects are synthetic
    assert any("Release `" in c.value for c in at.caption)


def test_choosing_a_border_changes_the_numbers(app_env):
    at = open_page(None)
    everything = _metric(at, "People, all modes")
    at.sidebar.selectbox(key="border").set_value("CAN-USA").run()
    no_exception(at)
    assert at.query_params["border"] == "CAN-USA"
    assert _metric(at, "People, all modes") != everything


def test_period_changes_the_notice_window(app_env):
    at = open_page(None)
    months = at.sidebar.select_slider(key="period").options
    at.sidebar.select_slider(key="period").set_range(months[0], "2024-06").run()
    no_exception(at)
    assert at.query_params["to"] == "2024-06"
    assert any("Jun 2024" in c.value for c in at.caption)


def test_a_link_carries_the_filters(app_env):
    at = open_page(None, {"border": "MEX-USA", "from": "2024-01", "to": "2024-12"})
    no_exception(at)
    assert at.sidebar.selectbox(key="border").value == "MEX-USA"
    assert at.sidebar.select_slider(key="period").value == ("2024-01", "2024-12")
    assert "Mexico" in at.markdown[0].value


def test_bad_query_parameters_fall_back_with_a_warning(app_env):
    at = open_page(None, {"border": "<script>x</script>", "from": "1800-01", "to": "bogus", "countries": "ZZZ,FIN"})
    no_exception(at)
    text = warnings_text(at)
    assert "border" in text and "start month" in text and "end month" in text and "countries" in text
    assert "<script>" not in text
    assert at.query_params["border"] == "all"
    assert at.query_params["countries"] == "FIN"
    assert at.sidebar.selectbox(key="border").value == "all"


def test_a_repeated_query_parameter_is_named_in_a_warning(app_env):
    at = open_page(None, {"countries": ["USA", "CAN"]})
    no_exception(at)
    assert "The address gives 'countries' 2 times; only the last one is used." in warnings_text(at)
    assert at.query_params["countries"] == "CAN"


def test_filters_carry_across_pages(app_env):
    at = open_page(None)
    at.sidebar.selectbox(key="border").set_value("CAN-USA").run()
    at.switch_page("pages/trends.py").run()
    no_exception(at)
    assert at.sidebar.selectbox(key="border").value == "CAN-USA"
    assert at.query_params["border"] == "CAN-USA"


def test_without_a_release_the_app_says_so(app_env, monkeypatch):
    monkeypatch.delenv("BORDERLENS_RELEASE")
    at = new_app().run()
    assert not at.exception
    assert "BORDERLENS_RELEASE" in at.error[0].value


def test_countries_filter_changes_the_numbers(app_env):
    at = open_page(None)
    everything = _metric(at, "People, all modes")
    at.sidebar.multiselect(key="countries").set_value(["MEX"]).run()
    no_exception(at)
    assert at.query_params["countries"] == "MEX"
    assert _metric(at, "People, all modes") != everything


# The window of 90 days to the end of March 2024 holds a demo notice whose troops are withheld while its other
# numbers are below every observation threshold: it can be judged neither way.
WINDOW_END = date(2024, 3, 31)


def test_the_overview_counts_the_notices_that_could_not_be_judged(release_dir):
    release = open_release(release_dir)
    data = overview(release_dir, Filters(date_to=WINDOW_END), release.created)
    first = WINDOW_END - timedelta(days=NOTICE_WINDOW_DAYS - 1)
    assert data.notice_window == (first, WINDOW_END)
    expected = undecided_by_sql(release_dir, first, WINDOW_END, period=STARTS)
    assert expected["observation"] > 0
    assert data.notices["observation_undecided"] == expected["observation"]
    assert data.notices["observation_without_invitation_undecided"] == expected["observers"]
    assert data.observation_help.startswith(f"{expected['observation']:,} more could not be judged")
    assert data.invitation_help.startswith(f"{expected['observers']:,} more could not be judged")


def test_the_overview_metric_says_how_many_could_not_be_judged(app_env):
    at = open_page(None, {"to": WINDOW_END.strftime("%Y-%m")})
    no_exception(at)
    expected = undecided_by_sql(app_env, WINDOW_END - timedelta(days=NOTICE_WINDOW_DAYS - 1), WINDOW_END,
                                period=STARTS)
    help_text = next(m.proto.help for m in at.metric if m.label.startswith("Reached an observation threshold"))
    assert f"{expected['observation']:,} more could not be judged" in help_text


def test_the_withheld_table_says_what_it_covers(app_env):
    at = open_page(None, {"border": "CAN-USA"})
    no_exception(at)
    caption = next(c.value for c in at.caption if c.value.startswith("Values not published as reported"))
    assert "whole release" in caption and "filters above do not apply" in caption and "Transparency" in caption


def test_the_synthetic_banner_tells_invented_from_real_per_dataset(app_env):
    sources = query(Path(app_env) / "borderlens.duckdb",
                    "select dataset, count(*), count(*) filter (where synthetic) from sources group by 1")
    mixed = {d: (n, s) for d, n, s in sources if 0 < s < n}
    whole = {d for d, n, s in sources if s == n}
    # crossings (real BTS beside synthetic mirror and EU files), projects (Reveal's real fence beside synthetic
    # projects) and notices (the real MME exercises beside the invented notices) are all mixed
    assert set(mixed) == {"crossings", "infrastructure_projects", "exercise_notices"} and not whole
    at = open_page(None)
    no_exception(at)
    banner = next(w.value for w in at.warning if "Synthetic demo data" in w.value)
    assert "partly invented" in banner and "invented for the demo" not in banner, banner
    for dataset, label in (("crossings", "Border crossings"), ("infrastructure_projects", "Infrastructure projects"),
                           ("exercise_notices", "Exercise notices")):
        files, synthetic = mixed[dataset]
        assert f"{label} ({synthetic} of {files} files)" in banner, banner


def test_freshness_never_names_a_date_after_the_release(app_env):
    db = Path(app_env) / "borderlens.duckdb"
    [(created,)] = query(db, "select value::date from release_info where key = 'created'")
    [(planned_later,)] = query(db, "select count(*) from infrastructure_projects where planned_start > ?", [created])
    assert planned_later > 0  # the demo plans projects after the release date: the check below means something
    data = overview(app_env, Filters(), created.isoformat())
    latest = dict(zip(data.freshness["dataset"], data.freshness["latest"]))
    assert all(pd.Timestamp(d).date() <= created for d in latest.values()), latest
    [(expected,)] = query(db, """select max(d) from (select unnest([planned_start, actual_start, actual_end]) as d
                                 from infrastructure_projects) where d <= ?""", [created])
    assert pd.Timestamp(latest["infrastructure_projects"]).date() == expected
