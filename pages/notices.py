"""Exercise notices: each notice against the Vienna Document 2011 thresholds, Chapter VIII counts, one notice.

The figures are counted over all notices in DuckDB; the table shows one page (its downloads hold every page).
"""

from __future__ import annotations

import altair as alt
import streamlit as st

from dashboard_ui.charts import show_chart
from dashboard_ui.frame import end_page
from dashboard_ui.session import surface
from dashboard_ui.sharing import share_view
from dashboard_ui.tables import pager, pager_choice, show_table
from data_pipeline.views import queries_params as P
from data_pipeline.views.charts import PALETTE
from data_pipeline.views.queries import md_escape
from data_pipeline.views.queries_map import GREY
from data_pipeline.views.queries_notices import (CALENDAR_BARS, DEFAULT_SORT, SHOWN, SORTS, notices_table, notices_view,
                                           rule_phrase, undecided_note, undecided_words)


@st.cache_data(show_spinner=False, max_entries=256)
def load(release_id: str, release_path: str, filters, notice_id: str | None, page: int, sort: str, rows: int):
    return notices_view(release_path, filters, notice_id, page, sort, rows)


if "borderlens" not in st.session_state:  # opened by a deep link before the entry script ran (first visit)
    st.session_state["borderlens_next"] = "pages/notices.py"
    st.switch_page("app.py", query_params=st.query_params.to_dict())

ctx = st.session_state["borderlens"]
release, filters, embed = ctx["release"], ctx["filters"], ctx["embed"]
ui = surface()  # st, or nothing drawn in an embedded view

page, sort, rows, warnings = pager_choice("notices", SORTS, DEFAULT_SORT)
if "notice" not in st.session_state:
    st.session_state["notice"] = str(st.query_params.get("notice") or "")
view = load(release.release_id, release.path, filters, st.session_state["notice"] or None, page, sort, rows)
for warning in warnings:
    st.warning(warning, icon=":material/link_off:")
if st.session_state["notice"] and view.detail.empty:
    st.warning(f"The notice “{P.shown(st.session_state['notice'])}” is not among the notices for this border, "
               "countries and period; no notice is shown in detail.", icon=":material/link_off:")
    st.session_state["notice"] = ""

ui.title("Exercise notices")
th, n = view.thresholds, view.summary
ui.markdown(
    "Military exercises announced under the OSCE **Vienna Document 2011**, as published by ministries, "
    "organisations and NGOs. For each notice: how many days ahead it was given (due "
    f"**{view.min_lead_days} days** before the start, para 38), which notification and observation thresholds "
    "the announced forces reach, and whether observers were invited. A number withheld by the publisher is "
    "never read as small: the notice says which numbers are withheld.")

if view.paging.total == 0:
    st.info("No exercise notices for this border, countries and period. Widen the period or choose all borders.")
else:
    c = ui.columns(5)
    c[0].metric("Notices", f"{n['notices']:,}")
    c[1].metric(f"Late (< {view.min_lead_days} days)", f"{n['late']:,}",
                help=f"Para 38; an activity without advance notice to the troops is late only when notified after "
                f"its start (para 41). {n['lead_unknown']:,} more cannot be judged: a date, or whether para 41 "
                "applies, is withheld or not published.")
    c[2].metric("Notifiable size (para 40)", f"{n['notification_threshold']:,}",
                help="Reach a notification threshold: " + rule_phrase(th, "notification") + ". "
                + undecided_words(n["notification_undecided"]))
    c[3].metric("Observable size (para 47.4)", f"{n['observation_threshold']:,}",
                help="Reach an observation threshold, so observers must be invited: "
                + rule_phrase(th, "observation") + ". " + undecided_words(n["observation_undecided"]))
    c[4].metric("… no observers invited", f"{n['observers_missing']:,}",
                help="Reach an observation threshold and invited no observers. "
                + undecided_words(n["observers_undecided"], "a number they need or whether observers were invited is"))
    if note := undecided_note(n):
        ui.caption(note)

    ui.subheader("Notices")
    ui.caption("Lead time = days from the notification to the start of the activity. Thresholds are “at least” "
               "values (≥), combined with “or”. Distance = from the exercise area as published to the nearest "
               "international border, in km; for a location the policy made coarser, from the centre of its "
               "cell.")
    pager("notices", view.paging, SORTS, DEFAULT_SORT, "notices")
    (ui.dataframe if embed else show_table)(
        view.notices[SHOWN], "exercise-notices", "exercise_notices", total=view.paging.total,
        full=lambda path=release.path, f=filters, s=sort: notices_table(path, f, s),
        hide_index=True, width="stretch",
        column_config={
            "starts_text": st.column_config.TextColumn("Starts", help="as exactly as published: a day, a month "
                                                       "(Jan 1980: the day not published) or a year"),
            "ends_text": st.column_config.TextColumn("Ends", help="as exactly as published"),
            "notice_id": "Notice", "designation": "Designation", "notifying_iso3": "State",
            "lead_days": st.column_config.NumberColumn("Notice given (days)"),
            "lead": st.column_config.TextColumn("Lead time", help=f"on time = at least {view.min_lead_days} days"),
            "troops_text": "Troops", "battle_tanks_text": "Battle tanks",
            "notifiable": st.column_config.TextColumn("Notifiable (para 40)", help="yes, no or unknown: unknown "
                                                      "when a withheld number could reach a threshold"),
            "observation_required": st.column_config.TextColumn("Observers required (para 47.4)",
                                                                help="yes, no or unknown, as for notifiable"),
            "thresholds": st.column_config.TextColumn("Thresholds reached (paragraph: rule)", width="large"),
            "withheld": "Numbers withheld", "observers": "Observers invited",
            "calendar": st.column_config.TextColumn("In annual calendar", help="Para 61: listed in the annual "
                                                    "calendar exchanged by 15 November of the year before"),
            "distance_to_border_km": st.column_config.NumberColumn("Distance to border (km)", format="%.0f"),
            "border_name": "Nearest border", "location_note": "Location precision",
        })

    ui.subheader("Calendar")
    cal = view.calendar
    lead_scale = alt.Scale(domain=["on time", "late", "unknown"], range=[PALETTE[4], PALETTE[5], GREY])
    if cal.empty:
        ui.caption("No activity with dates the calendar can draw.")
    elif view.calendar_by_month:
        ui.caption(f"More than {CALENDAR_BARS:,} activities: each bar counts the activities starting in a month; "
                   "colour shows whether notice came in time. Narrow the border, countries or period to see one "
                   "bar per activity.")
        chart = alt.Chart(cal).mark_bar().encode(
            x=alt.X("yearmonth(month):T", title="Month the activity starts"),
            y=alt.Y("sum(activities):Q", title="Activities"),
            color=alt.Color("lead:N", title="Lead time", scale=lead_scale),
            tooltip=[alt.Tooltip("yearmonth(month):T", title="Month"), alt.Tooltip("lead:N", title="Lead time"),
                     alt.Tooltip("sum(activities):Q", title="Activities", format=",")],
        ).properties(height=260)
        by_lead = cal.groupby("lead")["activities"].sum()
        show_chart(chart, cal, "Exercise notices: activities per month",
                     f"{int(cal['activities'].sum()):,} activities starting from {cal['month'].min():%b %Y} to "
                     f"{cal['month'].max():%b %Y}: {int(by_lead.get('late', 0)):,} notified late, "
                     f"{int(by_lead.get('on time', 0)):,} on time, {int(by_lead.get('unknown', 0)):,} without a "
                     "notification date.", "notices-calendar", "exercise_notices")
    else:
        ui.caption("Each bar runs from the start to the end of an activity; colour shows whether notice came in "
                   "time.")
        chart = alt.Chart(cal).mark_bar(height=8).encode(
            x=alt.X("start_date:T", title="Date"), x2="end_date:T",
            y=alt.Y("notice_id:N", sort=alt.EncodingSortField("start_date"), title=None),
            color=alt.Color("lead:N", title="Lead time",
                            scale=alt.Scale(domain=["on time", "late"], range=[PALETTE[4], PALETTE[5]])),
            tooltip=[alt.Tooltip("designation:N", title="Designation"),
                     alt.Tooltip("notifying_iso3:N", title="State"),
                     alt.Tooltip("start_date:T", title="Starts"), alt.Tooltip("end_date:T", title="Ends"),
                     alt.Tooltip("lead:N", title="Lead time")],
        ).properties(height=max(160, 14 * len(cal)))
        show_chart(chart, cal, "Exercise notices: calendar",
                     f"{len(cal)} activities from {cal['start_date'].min():%d %b %Y} to "
                     f"{cal['end_date'].max():%d %b %Y}; {int((cal['lead'] == 'late').sum())} notified late, "
                     f"{int((cal['lead'] == 'on time').sum())} on time.",
                     "notices-calendar", "exercise_notices")
    if view.off_calendar:
        ui.caption(view.off_calendar)
if embed:
    end_page()

st.subheader("Chapter VIII: limits per state and year")
ch8 = view.chapter8
st.caption("Counted over every notice of the state in this release, whatever the border; the period chooses the "
           "years. Chapter VIII counts activities of “more than” (>) the numbers below. Paragraph 67 looks at the "
           "three calendar years ending in the year shown; 69 at the most activities under way on the same day.")
if ch8.empty:
    st.info("No notices by these states in these years.")
else:
    over_limit = ch8["over_limit"].astype("boolean")   # NULL: a date without its day leaves it open
    counts = ch8["activities"].map("{:,}".format).where(
        ch8["activities_possible"] == ch8["activities"],
        ch8["activities"].map("{:,}".format) + " to " + ch8["activities_possible"].map("{:,}".format))
    ch8 = ch8.assign(rule=ch8["paragraph"] + " · at most " + ch8["limit_value"].map("{:,.0f}".format),
                     result=counts + over_limit.map({True: " – over the limit", False: ""}).fillna(
                         " – unknown: may be over the limit"))
    wide = ch8.pivot_table(index=["state", "year", "notices", "unclassified"], columns="rule", values="result",
                           aggfunc="first").reset_index()
    show_table(wide, "chapter8", "exercise_notices", hide_index=True, width="stretch",
                 column_config={"state": "State", "year": st.column_config.NumberColumn("Year", format="%d"),
                                "notices": "Notices", "unclassified": st.column_config.NumberColumn(
                                    "Troops or tanks withheld", help="Cannot be classified with certainty for "
                                    "Chapter VIII: counted in the paragraphs their published numbers reach, but the "
                                    "withheld number might change that")})
    if (ch8["activities_possible"] != ch8["activities"]).any():
        st.caption("A count “a to b” is of notices whose dates are published without their day: a of them are under "
                   "way on the same day for certain, b may be; where only b passes the limit, the result is unknown.")
    over = ch8[over_limit.fillna(False)]
    if len(over):
        st.markdown("**Over a limit** (on the published notices):")
        show_table(over[["state", "year", "paragraph", "activities", "limit_value", "description", "notice_ids"]],
                     "chapter8-over", "exercise_notices", hide_index=True, width="stretch",
                     column_config={"state": "State", "year": st.column_config.NumberColumn("Year", format="%d"),
                                    "paragraph": "Para", "activities": "Activities", "limit_value": "Limit",
                                    "description": "Rule", "notice_ids": "Notices counted"})

with ui.expander("The Vienna Document 2011 thresholds used here", icon=":material/rule:"):
    show_table(th[["paragraph", "rule", "applies_to", "description"]], "vd-thresholds", hide_index=True,
                 width="stretch",
                 column_config={"paragraph": "Para", "rule": "Rule", "applies_to": "Used for",
                                "description": "In words"})
    st.caption("From the release's vd_thresholds table (OSCE, FSC.DOC/1/11). Check paragraph numbers against the "
               "published text before citing.")

st.subheader("One notice in detail")


def find_notice() -> None:
    """A typed id becomes the chosen notice (checked against the release and the filters on the next run)."""
    st.session_state["notice"] = st.session_state["notice_find"].strip()[:200]
    st.session_state["notice_find"] = ""


chosen = st.session_state["notice"]
ids = list(dict.fromkeys(view.notices["notice_id"])) if len(view.notices) else []
options = ["", *ids] + ([chosen] if chosen and chosen not in ids else [])
c1, c2 = ui.columns(2)
c1.selectbox("Notice on this page of the table", options, key="notice",
             format_func=lambda i: "Choose a notice…" if i == "" else i,
             help="The chosen notice is kept in the address bar, so the link opens it.")
c2.text_input("… or any notice id", key="notice_find", on_change=find_notice, placeholder="a notice id",
              help="Any notice of this border, countries and period, whatever the page of the table.")
P.publish([P.Param("notice", "notice", [], "", "the notice")], st.session_state, st.query_params)
if st.session_state["notice"] and len(view.detail):
    verdict = ". ".join(s[:1].upper() + s[1:] for s in view.detail_verdict)  # the verdicts publish stored
    st.markdown(f"**{md_escape(view.detail_title, 120)}**  \n" + (f"Verdict: {md_escape(verdict, 600)}." if verdict else ""))
    show_table(view.detail, "notice-detail", "exercise_notices", hide_index=True, width="stretch", height="content",
                 column_config={"field": "Field", "value": st.column_config.TextColumn("Value", width="large")})
    st.caption("Provenance: every notice keeps the publisher, the file it came from and its line in that file.")
share_view("Exercise notices")
