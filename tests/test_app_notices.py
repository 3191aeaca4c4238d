"""Exercise notices page: Vienna Document indicators from vd_thresholds, Chapter VIII, one notice's provenance."""

from __future__ import annotations

from test_app_release import (XSS_DESIGNATION, XSS_NOTICE_ID, app_env, no_exception, open_page,  # noqa: F401
                              release_dir, warnings_text)


def _metric(at, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def test_notices_show_indicators_and_thresholds_with_paragraphs(app_env):
    at = open_page("notices")
    no_exception(at)
    notices = at.dataframe[0].value
    assert {"lead_days", "lead", "thresholds", "observers", "calendar", "distance_to_border_km"} <= set(notices.columns)
    assert set(notices["lead"]) <= {"on time", "late", "withheld by publisher", "not available", "no notification date"}
    assert notices["thresholds"].str.contains("47.4: ").any() and notices["thresholds"].str.contains("40.1.1: ").any()
    thresholds = at.dataframe[-1].value if len(at.dataframe) else None
    paragraphs = set(next(df.value for df in at.dataframe if "applies_to" in df.value.columns)["paragraph"])
    assert {"38", "40.1.1", "40.1.2", "40.2", "47.4", "67", "68", "69"} <= paragraphs
    assert thresholds is not None
    chapter8 = " ".join(str(c) for df in at.dataframe for c in df.value.columns)
    assert "67 · at most 1" in chapter8 and "69 · at most 3" in chapter8


def test_border_filter_changes_the_notices(app_env):
    at = open_page("notices")
    everything = _metric(at, "Notices")
    at.sidebar.selectbox(key="border").set_value("EST-RUS").run()
    no_exception(at)
    assert _metric(at, "Notices") != everything


def test_a_notice_in_detail_with_its_provenance_and_inert_text(app_env):
    at = open_page("notices", {"notice": XSS_NOTICE_ID})
    no_exception(at)
    assert at.query_params["notice"] == XSS_NOTICE_ID
    detail = dict(at.dataframe[-1].value[["field", "value"]].values)
    assert detail["Designation"] == XSS_DESIGNATION             # shown as text in a table cell
    assert detail["Source: file"] == "hostile_notices.csv"
    assert detail["Source: line in the file"] == "2"
    assert detail["Source: publisher"]
    title = at.markdown[-1].value
    assert "<script>" not in title and "\\<script\\>" in title  # escaped for markdown


def test_choosing_a_notice_puts_it_in_the_url(app_env):
    at = open_page("notices")
    choice = at.selectbox(key="notice").options[1]
    at.selectbox(key="notice").set_value(choice).run()
    no_exception(at)
    assert at.query_params["notice"] == choice


def test_unknown_notice_falls_back_with_a_warning(app_env):
    at = open_page("notices", {"notice": "NOPE-<b>1</b>"})
    no_exception(at)
    assert "notice" in warnings_text(at) and "<b>" not in warnings_text(at)
    assert "notice" not in at.query_params
