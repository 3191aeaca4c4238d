"""Breakdown: one dimension of the crossing figures over time at a place, e.g. the nationalities of the people
detected on a migratory route, and its codes ranked. Dimension, measure, place and time step are in the URL."""

from __future__ import annotations

import altair as alt
import streamlit as st

from dashboard_ui.charts import show_chart
from dashboard_ui.frame import end_page
from dashboard_ui.session import surface
from dashboard_ui.sharing import embed_heading, share_view
from dashboard_ui.sidebar import dimension_codes, dimension_title
from dashboard_ui.tables import show_table
from data_pipeline.views import queries_params as P
from data_pipeline.views.charts import GRAIN_AXES
from data_pipeline.views.queries import measure_label
from data_pipeline.views.queries_breakdown import (ALL_PLACES, GRAINS, TOP_CODES, breakdown_view,
                                                   dimension_measures, partial_words)

if "borderlens" not in st.session_state:  # opened by a deep link before the entry script ran (first visit)
    st.session_state["borderlens_next"] = "pages/breakdown.py"
    st.switch_page("app.py", query_params=st.query_params.to_dict())


@st.cache_data(show_spinner=False, max_entries=128)
def load(release_id: str, release_path: str, filters, options, dimension: str, measure: str, place: str,
         grain: str):
    return breakdown_view(release_path, filters, options, dimension, measure, place, grain)


@st.cache_data(show_spinner=False, max_entries=32)
def measures_of(release_id: str, release_path: str, dimension: str) -> list[str]:
    return dimension_measures(release_path, dimension)


ctx = st.session_state["borderlens"]
release, filters, options, embed = ctx["release"], ctx["filters"], ctx["options"], ctx["embed"]
ui = surface()
ui.title("Breakdown")
ui.markdown("Some publishers break their figures down, for example by the **nationality** of the people "
            "detected on a migratory route. Here one such breakdown is shown over time, each code as a series, and "
            "its codes ranked in the period. A withheld figure is never counted as zero; where one is withheld a "
            "share of the total is unknown, and the table says so.")
dimensions = dimension_codes(options)
if not dimensions:
    if embed:
        embed_heading("Breakdown")
    st.info("No crossing figures in this release are broken down by a dimension (such as nationality).")
    share_view("Breakdown")
    end_page()

names = sorted(dimensions, key=lambda n: (-len(dimensions[n]), n))   # the richest breakdown first (nationality)
warnings = P.initialise([P.Param("dimension", "bd_dimension", names, names[0], "the breakdown")],
                        st.session_state, st.query_params)
dimension = st.session_state["bd_dimension"]
measures = measures_of(release.release_id, release.path, dimension)
params = [P.Param("measure", "bd_measure", measures, measures[0], "the measure"),
          P.Param("grain", "bd_grain", list(GRAINS), "year", "the time step")]
warnings += P.initialise(params, st.session_state, st.query_params)
if "bd_place" not in st.session_state:
    st.session_state["bd_place"] = str(st.query_params.get("place") or ALL_PLACES)

c1, c2, c3 = ui.columns([2, 3, 2])
c1.selectbox("Break down by", names, key="bd_dimension", format_func=dimension_title)
c2.selectbox("What is counted", measures, key="bd_measure", format_func=measure_label)
c3.segmented_control("Time step", list(GRAINS), key="bd_grain", format_func=str.capitalize)
measure, grain = st.session_state["bd_measure"], st.session_state["bd_grain"] or "year"

view = load(release.release_id, release.path, filters, options, dimension, measure, st.session_state["bd_place"],
            grain)
places = [ALL_PLACES] + list(view.places["location_id"])
if st.session_state["bd_place"] not in places:
    warnings.append(f"The link asks for the place “{P.shown(st.session_state['bd_place'])}”, which has no figures "
                    "broken down this way in this choice; showing every place instead.")
    st.session_state["bd_place"] = ALL_PLACES
    view = load(release.release_id, release.path, filters, options, dimension, measure, ALL_PLACES, grain)
place_names = dict(zip(view.places["location_id"], view.places["location_name"]))
place_kinds = dict(zip(view.places["location_id"], view.places["place_kind"]))
ui.selectbox("Place", places, key="bd_place",
             format_func=lambda p: (f"All places broken down by {dimension_title(dimension).lower()}"
                                    if p == ALL_PLACES else f"{place_names.get(p, p)} "
                                    f"({str(place_kinds.get(p) or '').replace('_', ' ')})"))
for warning in warnings:
    st.warning(warning, icon=":material/link_off:")
P.publish([P.Param("dimension", "bd_dimension", names, names[0], "the breakdown"), *params,
           P.Param("place", "bd_place", places, ALL_PLACES, "the place")], st.session_state, st.query_params)

place = st.session_state["bd_place"]
where = "every place broken down this way" if place == ALL_PLACES else place_names.get(place, place)
series, codes = view.series, view.codes
if series.empty:
    if embed:
        embed_heading("Breakdown")
    st.info("No figures broken down this way for this choice. Widen the period, or clear the sidebar's filters.")
else:
    unit = view.measure_label
    title = f"{unit.capitalize()} by {dimension_title(dimension).lower()}, per {grain}: {where}"
    tooltip = [alt.Tooltip("period:T", title="Period"), alt.Tooltip("series:N", title=dimension_title(dimension)),
               alt.Tooltip("value:Q", title=unit, format=",.0f"), alt.Tooltip("figures:Q", title="Figures"),
               alt.Tooltip("withheld:Q", title="Withheld (not counted)")]
    order = list(dict.fromkeys(series.sort_values("series_rank")["series"]))
    x = alt.X("period:T", title=None, axis=alt.Axis(**GRAIN_AXES[grain]))
    colour = alt.Color("series:N", title=dimension_title(dimension), sort=order,
                       legend=alt.Legend(orient="bottom", columns=3))
    tooltip.append(alt.Tooltip("coverage:N", title="Months"))
    # as on Trends: a period with some of its months only is not joined to the line, a hollow diamond instead
    whole = series.assign(value=series["value"].where(series["complete"]))
    chart = alt.Chart(whole).mark_line(point=True, invalid="break-paths-show-domains").encode(
        x=x, y=alt.Y("value:Q", title=f"per {grain}", axis=alt.Axis(format="~s")), color=colour,
        tooltip=tooltip).properties(height=340, title=title + (" (◇ incomplete period)" if grain != "month" else ""))
    partial = series[~series["complete"] & series["value"].notna()]
    if len(partial):
        chart = chart + alt.Chart(partial).mark_point(shape="diamond", size=160, filled=False).encode(
            x=x, y="value:Q", color=colour, tooltip=tooltip)
    top = codes.head(3)
    summary = ("Largest in the period: " + ", ".join(f"{label} ({code}) {total:,.0f}" if label != code
                                                      else f"{code} {total:,.0f}"
                                                      for label, code, total in zip(top["label"], top["code"],
                                                                                    top["total"].fillna(0)))
               + f". The {TOP_CODES} largest codes are drawn one by one; the rest together as “other codes”.")
    show_chart(chart, series, title, summary, "breakdown-series", "crossings",
               ["period", "series", "value", "coverage", "figures", "published", "withheld", "months"])
    if embed:
        end_page()
    incomplete = partial_words(series, grain)
    if incomplete:
        st.caption(incomplete)
    st.subheader(f"{dimension_title(dimension)} ranked in the period")
    st.caption(f"{len(codes):,} codes at {where}. "
               + (f"{view.withheld:,} figures are withheld: totals with one are lower bounds and shares unknown."
                  if view.withheld else "Every figure is published: the shares add up to the total of the codes."))
    show_table(codes[["rank", "label", "code", "total", "share_text", "figures", "withheld"]], "breakdown-codes",
               "crossings", source=codes, hide_index=True, width="stretch",
               column_config={"rank": "Rank", "label": dimension_title(dimension), "code": "Code",
                              "total": st.column_config.NumberColumn(unit.capitalize(), format="localized"),
                              "share_text": "Share of the total", "figures": "Figures",
                              "withheld": "Withheld (not counted)"})
share_view("Breakdown")
