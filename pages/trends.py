"""Crossing trends: over time by border, crossing point and measure; year-over-year; mirror statistics."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard_ui.charts import show_chart
from dashboard_ui.frame import end_page
from dashboard_ui.session import surface
from dashboard_ui.sharing import share_view
from dashboard_ui.tables import show_table
from data_pipeline.views import queries_params as P
from data_pipeline.views.charts import PALETTE
from data_pipeline.views.queries import PEOPLE, measure_label
from data_pipeline.views.queries_trends import (ALL_LOCATIONS, GRAINS, SPLITS, change_summary, comparison_words,
                                                conflicting_words, incomplete_words,
                                                mirror_words, seasonal_coverage_words, seasonal_summary,
                                                series_summary, trends_view)

if "borderlens" not in st.session_state:  # opened by a deep link before the entry script ran (first visit)
    st.session_state["borderlens_next"] = "pages/trends.py"
    st.switch_page("app.py", query_params=st.query_params.to_dict())

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@st.cache_data(show_spinner=False, max_entries=256)
def load(release_id: str, release_path: str, filters, measure: str, grain: str, split: str, location: str,
         mirror: str):
    return trends_view(release_path, filters, measure, grain, split, location, mirror)


ctx = st.session_state["borderlens"]
release, filters, options, embed = ctx["release"], ctx["filters"], ctx["options"], ctx["embed"]
measures = list(options.measures) or [PEOPLE]
params = [
    P.Param("measure", "trends_measure", measures, measures[0], "the measure"),
    P.Param("grain", "trends_grain", list(GRAINS), "month", "the time step"),
    P.Param("by", "trends_split", list(SPLITS), "total", "the breakdown"),
]
warnings = P.initialise(params, st.session_state, st.query_params)
for key, name in (("trends_port", "port"), ("trends_mirror", "mirror")):
    if key not in st.session_state:
        st.session_state[key] = str(st.query_params.get(name) or (ALL_LOCATIONS if name == "port" else ""))

ui = surface()  # st, or nothing drawn in an embedded view
ui.title("Crossing trends")
ui.markdown("How many people and vehicles cross, month by month, as the border authorities count them. "
            "Figures are totals of the monthly counts in the period; a figure the publisher or the policy "
            "withholds, or a month a publisher left without a figure, is **not** counted as zero: the grey bars "
            "show which share of figures is withheld or missing.")

c1, c2, c3, c4 = ui.columns([3, 3, 2, 3])
c1.selectbox("What is counted", measures, key="trends_measure", format_func=measure_label,
             help="People, all modes = persons, pedestrians and passengers of vehicles, buses and trains.")
c2.segmented_control("Time step", list(GRAINS), key="trends_grain", format_func=str.capitalize)
c3.selectbox("Break down by", list(SPLITS), key="trends_split", format_func=SPLITS.get)
measure, grain, split = (st.session_state["trends_measure"], st.session_state["trends_grain"] or "month",
                         st.session_state["trends_split"])

view = load(release.release_id, release.path, filters, measure, grain, split, st.session_state["trends_port"],
            st.session_state["trends_mirror"])
ports = [ALL_LOCATIONS] + list(view.locations["location_id"])
port_names = dict(zip(view.locations["location_id"], view.locations["location_name"].fillna("")))
if st.session_state["trends_port"] not in ports:
    warnings.append(f"The link asks for the crossing point “{P.shown(st.session_state['trends_port'])}”, which has "
                    "no figures for this choice; showing all crossing points instead.")
    st.session_state["trends_port"] = ALL_LOCATIONS
    view = load(release.release_id, release.path, filters, measure, grain, split, ALL_LOCATIONS,
                st.session_state["trends_mirror"])
c4.selectbox("Crossing point", ports, key="trends_port",
             format_func=lambda p: "All crossing points" if p == ALL_LOCATIONS else f"{port_names.get(p, p)} ({p})")
for warning in warnings:
    st.warning(warning, icon=":material/link_off:")
if view.conflicting:  # absent figures the grey bars cannot show: the publisher's file never gave one value
    ui.info(conflicting_words(view.conflicting, view.conflicting_publishers, view.measure_label),
            icon=":material/rule:")

series = view.series
unit = view.measure_label
if series.empty:
    st.info("No crossing figures for this choice. Widen the period, or choose all borders or another measure.")
else:
    x = alt.X("period:T", title=None)
    colour = alt.Color("series:N", title=SPLITS[split].capitalize() if split != "total" else None,
                       legend=None if split == "total" else alt.Legend(orient="bottom", columns=4))
    tooltip = [alt.Tooltip("period:T", title="Period"), alt.Tooltip("series:N", title="Series"),
               alt.Tooltip("value:Q", title=unit, format=",.0f"),
               alt.Tooltip("reporters:Q", title="Publishers with figures"),
               alt.Tooltip("coverage:N", title="Months"),
               alt.Tooltip("withheld_share:Q", title="Figures withheld", format=".0%"),
               alt.Tooltip("unpublished_share:Q", title="Figures withheld or missing", format=".0%")]
    if view.reporters_vary:   # in an embed, a caption above the chart (it must fit the iframe)
        if embed:
            st.caption("The publishers with figures change over this period: a total can move only because one "
                       "starts or stops.")
        else:
            st.warning("The publishers with figures change over this period (see “Break down by: publisher”): a "
                       "total can rise or fall only because a publisher starts or stops. Compare periods covered by "
                       "the same publishers.", icon=":material/info:")
    title = f"{unit.capitalize()} per {grain}"
    # a period with some of its months only is not joined to the line (its lower total is no fall): a hollow
    # diamond at its total instead
    whole = series.assign(value=series["value"].where(series["complete"]))
    lines = alt.Chart(whole).mark_line(point=True, invalid="break-paths-show-domains").encode(
        x=x, y=alt.Y("value:Q", title=f"per {grain}", axis=alt.Axis(format="~s")), color=colour,
        tooltip=tooltip).properties(height=320, title=f"{title} (gaps: no figures; ◇ incomplete period)")
    partial = series[~series["complete"] & series["value"].notna()]
    if len(partial):
        lines = lines + alt.Chart(partial).mark_point(shape="diamond", size=160, filled=False, color="#000000").encode(
            x=x, y="value:Q", tooltip=tooltip)
    withheld = alt.Chart(series).mark_bar(color="#999999").encode(
        x=x, y=alt.Y("unpublished_share:Q", title=None, axis=alt.Axis(format="%"),   # the chart's title says it
                     scale=alt.Scale(domain=[0, 1])),
        tooltip=tooltip).properties(height=90, title="Share of the figures withheld or missing (not counted as zero)")
    if split != "total":
        withheld = withheld.encode(color=colour).mark_bar(opacity=0.7)
    summary = series_summary(series, title, split, grain)
    show_chart(alt.vconcat(lines, withheld).resolve_scale(x="shared"), series, title, summary, "trends-series",
                 "crossings", ["period", "series", "value", "coverage", "reporters", "withheld_share",
                               "unpublished_share", "yoy_pct"])
    if embed:
        end_page()
    incomplete = incomplete_words(series, grain)
    if incomplete:
        st.caption(incomplete)

    st.subheader("Change on the same period a year earlier")
    yoy = series.dropna(subset=["yoy_pct"])
    if yoy.empty:
        st.caption("No period can be compared with a year earlier: no publisher has figures for both. Widen the "
                   "period to compare.")
    else:
        st.caption(comparison_words(yoy, grain))
        bars = alt.Chart(yoy).mark_bar().encode(
            x=x, y=alt.Y("yoy_pct:Q", title="change on a year earlier (%)"),
            color=alt.condition("datum.yoy_pct >= 0", alt.value(PALETTE[4]), alt.value(PALETTE[5]))
            if split == "total" else colour,
            xOffset=alt.XOffset("series:N") if split != "total" else alt.XOffset(),
            tooltip=[alt.Tooltip("period:T", title="Period"), alt.Tooltip("series:N", title="Series"),
                     alt.Tooltip("compared:N", title="Compared"),
                     alt.Tooltip("value_compared:Q", title="This period (figures published in both)", format=",.0f"),
                     alt.Tooltip("value_year_before:Q", title="A year earlier (the same figures)", format=",.0f"),
                     alt.Tooltip("yoy_pct:Q", title="Change (%)", format="+.1f")],
        ).properties(height=240)
        show_chart(bars, yoy, "Change on the same period a year earlier", change_summary(yoy), "trends-yoy",
                     "crossings",
                     ["period", "series", "compared", "value_compared", "value_year_before", "yoy_pct"])

    seasonal = view.seasonal
    if len(seasonal) and seasonal["year"].nunique() > 1:
        st.subheader("Same months of earlier years")
        st.caption(f"{unit.capitalize()} per month, one line per year (all years in the release, for this border, "
                   "countries and crossing point).")
        tooltip = [alt.Tooltip("year:N", title="Year"), alt.Tooltip("month_name:N", title="Month"),
                   alt.Tooltip("value:Q", title=unit, format=",.0f"),
                   alt.Tooltip("publishers:N", title="Publishers with figures"),
                   alt.Tooltip("unpublished_share:Q", title="Figures withheld or missing", format=".0%")]
        month_x = alt.X("month_name:N", sort=MONTHS, title=None, axis=alt.Axis(labelAngle=0))
        year_colour = alt.Color("year:N", title="Year", scale=alt.Scale(range=list(PALETTE)))
        # a month without a publisher that has figures in the year's other months is off its line (◇): no fall
        season = alt.Chart(seasonal.assign(value=seasonal["value"].where(seasonal["complete"]))).mark_line(
            point=True).encode(x=month_x, y=alt.Y("value:Q", title="per month", axis=alt.Axis(format="~s")),
                               color=year_colour, tooltip=tooltip).properties(height=260)
        uncovered = seasonal[~seasonal["complete"] & seasonal["value"].notna()]
        if len(uncovered):
            season = season + alt.Chart(uncovered).mark_point(shape="diamond", size=160, filled=False).encode(
                x=month_x, y="value:Q", color=year_colour, tooltip=tooltip)
        show_chart(season, seasonal, "Same months of earlier years", seasonal_summary(seasonal), "trends-seasonal",
                     "crossings", ["year", "month_name", "value", "publishers", "publishers_without_figures",
                                   "withheld_share", "unpublished_share"])
        coverage = seasonal_coverage_words(seasonal)
        if coverage:
            st.caption(coverage)

st.subheader("Mirror statistics: both sides of the same flow")
mirrors = view.mirrors
st.caption("Where two neighbours publish the same flow, e.g. country A counting entries from B and country B "
           "counting exits to A at the same crossing point, month and measure, their figures should agree. "
           "The gap between them is itself information (as mirror statistics are in trade data).")
if mirrors.empty:
    st.info("No flow in this choice is reported by both sides.")
else:
    keys = list(mirrors["key"])
    mirrors = mirrors.assign(   # a side whose figures are synthetic (demo data) says so wherever it is named
        inbound_reporter=mirrors["inbound_reporter"] + mirrors["inbound_synthetic"].map({True: " (synthetic)"}).fillna(""),
        outbound_reporter=mirrors["outbound_reporter"] + mirrors["outbound_synthetic"].map({True: " (synthetic)"}).fillna(""))
    labels = {k: f"{n or loc} – {m} ({f}→{t})" + (" · synthetic figures" if si or so else "")
              for k, n, loc, m, f, t, si, so in zip(
                  keys, mirrors["location_name"], mirrors["location_id"], mirrors["measure_label"],
                  mirrors["from_iso3"], mirrors["into_iso3"], mirrors["inbound_synthetic"],
                  mirrors["outbound_synthetic"])}
    if st.session_state["trends_mirror"] not in keys:
        if st.session_state["trends_mirror"]:
            st.warning(f"The link asks for the mirror pair “{P.shown(st.session_state['trends_mirror'])}”, which "
                       "is not in this choice; showing the largest gap instead.", icon=":material/link_off:")
        st.session_state["trends_mirror"] = view.mirror_choice
    ui.selectbox("Flow", keys, key="trends_mirror", format_func=labels.get)
    ms = view.mirror_series
    if len(ms):
        inbound, outbound = (ms[f"{side}_reporter"].iloc[0] + (" (synthetic)" if ms[f"{side}_synthetic"].any() else "")
                             for side in ("inbound", "outbound"))
        long = pd.concat([
            ms.assign(reporter=f"{inbound}: entries", value=ms["inbound_value"]),
            ms.assign(reporter=f"{outbound}: exits", value=ms["outbound_value"]),
        ])[["period", "reporter", "value"]]
        side = alt.Chart(long).mark_line(point=True).encode(
            x=alt.X("period:T", title=None), y=alt.Y("value:Q", title="per month", axis=alt.Axis(format="~s")),
            color=alt.Color("reporter:N", title="Reported by", legend=alt.Legend(orient="bottom"),
                            scale=alt.Scale(range=list(PALETTE))),
            tooltip=[alt.Tooltip("period:T", title="Month"), alt.Tooltip("reporter:N", title="Reported by"),
                     alt.Tooltip("value:Q", title="Figure", format=",.0f")],
        ).properties(height=240, title=f"The two figures side by side: {inbound} counts entries, {outbound} exits")
        gap = alt.Chart(ms).mark_bar().encode(
            x=alt.X("period:T", title=None), y=alt.Y("gap:Q", title=f"{inbound} minus {outbound}"),
            color=alt.condition("datum.gap >= 0", alt.value(PALETTE[4]), alt.value(PALETTE[5])),
            tooltip=[alt.Tooltip("period:T", title="Month"), alt.Tooltip("gap:Q", title="Gap", format="+,.0f"),
                     alt.Tooltip("gap_share:Q", title="Gap / mean of the two", format="+.1%")],
        ).properties(height=160, title="The gap, month by month")
        show_chart(alt.vconcat(side, gap).resolve_scale(x="shared"), ms, "Mirror statistics: both sides of the "
                     "same flow", mirror_words(ms), "trends-mirror", "crossings")
    st.markdown("**Largest gaps**")
    show_table(
        mirrors.head(15)[["location_name", "location_id", "measure_label", "from_iso3", "into_iso3",
                          "inbound_reporter", "inbound_total", "outbound_reporter", "outbound_total", "net_gap",
                          "gap_share", "largest_gap", "largest_gap_month", "months_compared"]], "trends-largest-gaps",
        "crossings", hide_index=True, width="stretch",
        column_config={
            "location_name": "Crossing point", "location_id": "Id", "measure_label": "What is counted",
            "from_iso3": "From", "into_iso3": "Into", "inbound_reporter": "Counted on entry by",
            "inbound_total": st.column_config.NumberColumn("Entries", format="localized"),
            "outbound_reporter": "Counted on exit by",
            "outbound_total": st.column_config.NumberColumn("Exits", format="localized"),
            "net_gap": st.column_config.NumberColumn("Net gap", format="localized"),
            "gap_share": st.column_config.NumberColumn("Gap / mean", format="percent"),
            "largest_gap": st.column_config.NumberColumn("Largest monthly gap", format="localized"),
            "largest_gap_month": st.column_config.DateColumn("In", format="MMM YYYY"),
            "months_compared": "Months compared",
        })

P.publish(params, st.session_state, st.query_params)
P.publish([P.Param("port", "trends_port", ports, ALL_LOCATIONS, "the crossing point"),
           P.Param("mirror", "trends_mirror", [], "", "the mirror pair")], st.session_state, st.query_params)
share_view("Crossing trends")
