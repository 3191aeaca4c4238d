"""Crossing points ranked: the last 12 complete months against the 12 before, the change, the withheld/missing
share and what is unknown; each row links to its Trends view. Sort and measure are in the URL."""

from __future__ import annotations

import streamlit as st

from dashboard_ui.session import surface
from dashboard_ui.sharing import share_view
from dashboard_ui.tables import show_table
from data_pipeline.views import queries_params as P
from data_pipeline.views.queries import PEOPLE, measure_label
from data_pipeline.views.queries_ranking import COLUMNS, DEFAULT_SORT, RANKING_SORTS, ranking

if "borderlens" not in st.session_state:  # opened by a deep link before the entry script ran (first visit)
    st.session_state["borderlens_next"] = "pages/ranking.py"
    st.switch_page("app.py", query_params=st.query_params.to_dict())


@st.cache_data(show_spinner=False, max_entries=128)
def load(release_id: str, release_path: str, filters, measure: str, sort: str):
    return ranking(release_path, filters, measure, sort)


ctx = st.session_state["borderlens"]
release, filters, options = ctx["release"], ctx["filters"], ctx["options"]
measures = list(options.port_measures) or [PEOPLE]   # routes and regions are no crossing points: see Breakdown
params = [P.Param("measure", "ranking_measure", measures, measures[0], "the measure"),
          P.Param("sort", "ranking_sort", list(RANKING_SORTS), DEFAULT_SORT, "the order of the table")]
for warning in P.initialise(params, st.session_state, st.query_params):
    st.warning(warning, icon=":material/link_off:")

ui = surface()
st.title("Crossing points ranked")
ui.markdown("Which crossing points are busiest, and how did they change? Each point's **last 12 complete months** "
            "(up to the end of the chosen period) against its 12 months before. The change compares like with "
            "like: only figures published in both years (the same measure, direction and month). A withheld or "
            "missing figure is never counted as zero: a total with one is a lower bound, so the rank can be "
            "uncertain, and the table says where.")
c1, c2 = ui.columns(2)
c1.selectbox("What is counted", measures, key="ranking_measure", format_func=measure_label)
c2.selectbox("Order", list(RANKING_SORTS), key="ranking_sort", format_func=RANKING_SORTS.get)
P.publish(params, st.session_state, st.query_params)

view = load(release.release_id, release.path, filters, st.session_state["ranking_measure"],
            st.session_state["ranking_sort"])
table = view.table
if table.empty:
    st.info("No crossing figures for this measure and choice of border and countries up to the end of the period.")
else:
    st.caption(f"{len(table):,} crossing points, {view.measure_label}. Their 12 months: {view.windows}. "
               f"{view.uncertain:,} of {len(table):,} ranks could change if the withheld or missing figures were "
               "known.")
    show_table(table[COLUMNS], "crossing-ranking", "crossings", source=table, hide_index=True, width="stretch",
                 column_config={
                     "rank": st.column_config.NumberColumn("Rank", help="By the last 12 months' published total"),
                     "location_name": "Crossing point", "location_id": "Id", "country_iso3": "Country",
                     "neighbor_iso3": "Neighbour",
                     "window_from": st.column_config.DateColumn("From", format="MMM YYYY"),
                     "window_to": st.column_config.DateColumn("To", format="MMM YYYY"),
                     "last_12": st.column_config.NumberColumn("Last 12 months", format="localized"),
                     "last_12_status": "Total",
                     "previous_12": st.column_config.NumberColumn("12 months before", format="localized"),
                     "change": st.column_config.TextColumn("Change", help="On the figures published in both years "
                                                           "only; not comparable: no such figure"),
                     "figures_compared": st.column_config.NumberColumn("Figures compared", format="localized"),
                     "unpublished_share_last": st.column_config.NumberColumn("Withheld or missing",
                                                                             format="percent"),
                     "rank_status": "Rank known?",
                     "trends_link": st.column_config.LinkColumn("Trends", display_text="Open in Trends"),
                 })
share_view("Crossing points ranked")
