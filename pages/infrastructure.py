"""Infrastructure: border projects as a table, on a map and on a timeline; filtered by distance to the border.

The figures are counted over all matching projects in DuckDB; the table shows one page (its downloads hold every
page); the map and the timeline show each project when few match, else counts (per grid cell, per year).
"""

from __future__ import annotations

import altair as alt
import pydeck as pdk
import streamlit as st

from dashboard_ui.charts import show_chart
from dashboard_ui.frame import end_page
from dashboard_ui.session import surface
from dashboard_ui.sharing import embed_heading, embed_snippet, embed_source, map_heading, share_view
from dashboard_ui.tables import pager, pager_choice, show_table
from data_pipeline.views import embeds as E
from data_pipeline.views import queries_params as P
from data_pipeline.views.charts import PALETTE
from data_pipeline.views.map_deck import TOOLTIP
from data_pipeline.views.map_style import view_state
from data_pipeline.views.queries_map import (BASEMAP_LAYERS, BASEMAP_LEGEND, GREY, PROJECT_COLOURS, CompactDeck,
                                       legend_item)
from data_pipeline.views.queries_projects import (DEFAULT_SORT, DISTANCES, SHOWN, SORTS, STATUSES, TIMELINE_BARS,
                                            projects_table, projects_view)

if "borderlens" not in st.session_state:  # opened by a deep link before the entry script ran (first visit)
    st.session_state["borderlens_next"] = "pages/infrastructure.py"
    st.switch_page("app.py", query_params=st.query_params.to_dict())


@st.cache_data(show_spinner=False, max_entries=256)
def load(release_id: str, release_path: str, filters, max_km: str, statuses: tuple[str, ...], page: int, sort: str,
         rows: int):
    return projects_view(release_path, filters, max_km, statuses, page, sort, rows)


ctx = st.session_state["borderlens"]
release, filters, embed = ctx["release"], ctx["filters"], ctx["embed"]
ui = surface()  # st, or nothing drawn in an embedded view
params = [
    P.Param("within_km", "projects_km", list(DISTANCES), "any", "the distance to the border"),
    P.Param("status", "projects_status", list(STATUSES), (), "the project status", multi=True),
]
for warning in P.initialise(params, st.session_state, st.query_params):
    st.warning(warning, icon=":material/link_off:")
page, sort, rows, warnings = pager_choice("projects", SORTS, DEFAULT_SORT)
for warning in warnings:
    st.warning(warning, icon=":material/link_off:")

ui.title("Border infrastructure")
ui.markdown("Roads, bridges, rail links, crossing points, customs facilities, barriers, surveillance and demining "
            "projects near borders: what is planned, under construction, finished, suspended or cancelled. "
            "Projects are shown when they run during the chosen period or have no dates.")
c1, c2 = ui.columns([2, 3])
c1.select_slider("Within this distance of a border (km)", list(DISTANCES), key="projects_km",
                 format_func=lambda d: "any distance" if d == "any" else f"{d} km",
                 help="Distance from the project to the nearest international land border (Natural Earth).")
c2.pills("Status", list(STATUSES), key="projects_status", selection_mode="multi",
         format_func=lambda s: s.replace("_", " "), help="None chosen: all statuses.")
P.publish(params, st.session_state, st.query_params)

max_km = st.session_state["projects_km"]
statuses = tuple(s for s in STATUSES if s in (st.session_state["projects_status"] or []))
view = load(release.release_id, release.path, filters, max_km, statuses, page, sort, rows)
drawn = view.drawn
if view.paging.total == 0:
    st.info("No project matches this border, countries, period, distance and status.")
    end_page()


def project_map() -> None:
    layers = [pdk.Layer("GeoJsonLayer", **spec) for spec in BASEMAP_LAYERS]
    if drawn.aggregated:
        layers.append(pdk.Layer("ScatterplotLayer", drawn.cells, id="project-cells", pickable=True,
                                get_position=["lon", "lat"], get_radius="radius", get_fill_color="colour",
                                get_line_color=[40, 40, 40, 230], stroked=True, line_width_min_pixels=1,
                                radius_min_pixels=3))
    else:
        layers.append(pdk.Layer("GeoJsonLayer", drawn.features, id="projects", pickable=True, stroked=True,
                                filled=True, get_fill_color="properties.colour", get_line_color="properties.colour",
                                get_point_radius=3000, point_radius_min_pixels=5, line_width_min_pixels=3))
    width, height = (E.MAP_FIT_WIDTH, E.MAP_HEIGHT) if embed else (900, 480)   # an embed fits any frame
    st.pydeck_chart(CompactDeck(layers=layers, map_provider=None, initial_view_state=view_state(drawn.bounds, width, height),
                                 tooltip=TOOLTIP), height=height, width="stretch")
    colours = ", ".join(legend_item(colour, status.replace("_", " ")) for status, colour in PROJECT_COLOURS.items())
    if drawn.aggregated:
        st.caption(f"**Counted per {drawn.step:g}° grid cell, not drawn one by one**: {drawn.reason}. Each circle "
                   f"is a cell with projects, its area by how many, its colour the commonest status ({colours}); "
                   "hover for the counts. Narrow the border, period, distance or status to see each project. · "
                   + BASEMAP_LEGEND)
    else:
        st.caption(f"All {drawn.matched:,} projects with a published place: " + colours
                   + " · a filled cell is a location coarsened to that cell · " + BASEMAP_LEGEND)


if embed:
    embed_heading(map_heading(("projects",), {"projects": "Infrastructure projects"}, ""))
    project_map()
    embed_source("infrastructure_projects")
    end_page()

cols = st.columns(len(STATUSES))
for col, status in zip(cols, STATUSES):
    col.metric(status.replace("_", " ").capitalize(), f"{int(view.counts.get(status, 0)):,}")

tab_table, tab_map, tab_time = ui.tabs(["Table", "Map", "Timeline"])
with tab_table:
    pager("projects", view.paging, SORTS, DEFAULT_SORT, "projects")
    show_table(
        view.table[SHOWN], "infrastructure-projects", "infrastructure_projects", total=view.paging.total,
        full=lambda path=release.path, f=filters, k=max_km, s=statuses, o=sort: projects_table(path, f, k, s, o),
        hide_index=True, width="stretch",
        column_config={
            "project_id": "Project", "name": "Name", "kind": "Kind", "status_label": "Status",
            "country_iso3": "Country", "host_iso3": "Built in (host)",
            "outside_country_km": st.column_config.NumberColumn("Outside its country (km)", format="%.0f"),
            "distance_to_border_km": st.column_config.NumberColumn("Distance to border (km)", format="%.1f"),
            "border_name": "Nearest border", "budget_text": "Budget", "funders_text": "Funders",
            "planned_start_text": "Planned start", "planned_end_text": "Planned end",
            "actual_start_text": "Started", "actual_end_text": "Finished",
            "dates_note": "Dates", "location_note": "Location precision", "publisher": "Source",
            "file_name": "File", "source_line": "Line",
        })
    st.caption("Budgets in the currency the publisher gives. A withheld value shows why it is withheld.")
with tab_map:
    project_map()
    embed_snippet(map_heading(("projects",), {"projects": "Infrastructure projects"}, ""))
with tab_time:
    timeline = view.timeline
    domain = [s.replace("_", " ") for s in PROJECT_COLOURS]
    colours = [PALETTE[4], PALETTE[0], PALETTE[2], PALETTE[6], GREY]  # as on the map
    status_scale = alt.Scale(domain=domain, range=colours)
    if timeline.empty:
        st.caption("No project has dates.")
    elif view.timeline_by_year:
        chart = alt.Chart(timeline).mark_bar().encode(
            x=alt.X("year:O", title="Year"), y=alt.Y("sum(projects):Q", title="Projects under way or planned"),
            color=alt.Color("status_label:N", title="Status", scale=status_scale),
            tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("status_label:N", title="Status"),
                     alt.Tooltip("sum(projects):Q", title="Projects", format=",")],
        ).properties(height=300)
        busiest = timeline.groupby("year")["projects"].sum()
        show_chart(chart, timeline, "Border infrastructure projects per year",
                     f"Projects with dates counted in each year from their start to their end, "
                     f"{int(busiest.index.min())} to {int(busiest.index.max())}; the most in {int(busiest.idxmax())} "
                     f"({int(busiest.max()):,}).", "infrastructure-timeline", "infrastructure_projects",
                     ["year", "status_label", "projects"])
        st.caption(f"More than {TIMELINE_BARS:,} projects have dates, so each bar counts the projects under way "
                   "(or planned to be) in a year, by status; a project counts in every year from its actual start "
                   "(else planned) to its actual end (else planned; one still under construction or suspended: at "
                   "least to the release date). Narrow the filters to see one bar per project.")
    else:
        chart = alt.Chart(timeline.drop(columns="project_id")).mark_bar(height=8).encode(
            x=alt.X("starts:T", title=None), x2="ends:T",
            y=alt.Y("name:N", sort=alt.EncodingSortField("starts"), title=None),
            color=alt.Color("status_label:N", title="Status", scale=status_scale),
            tooltip=[alt.Tooltip("name:N", title="Project"), alt.Tooltip("status_label:N", title="Status"),
                     alt.Tooltip("planned_start_text:N", title="Planned start"),
                     alt.Tooltip("planned_end_text:N", title="Planned end"),
                     alt.Tooltip("actual_start_text:N", title="Started"),
                     alt.Tooltip("actual_end_text:N", title="Finished"),
                     alt.Tooltip("dates_note:N", title="Dates")],
        ).properties(height=max(200, 16 * len(timeline)))
        by_status = timeline["status_label"].value_counts()
        show_chart(chart, timeline, "Border infrastructure projects: timeline",
                     f"{len(timeline)} projects with dates, from {timeline['starts'].min():%b %Y} to "
                     f"{timeline['ends'].max():%b %Y}; " + ", ".join(f"{n} {k}" for k, n in by_status.items()) + ".",
                     "infrastructure-timeline", "infrastructure_projects",
                     ["name", "status_label", "starts", "ends", "planned_start", "planned_start_precision",
                      "planned_end", "planned_end_precision", "actual_start", "actual_start_precision", "actual_end",
                      "actual_end_precision", "dates_note"])
        st.caption("Bars run from the actual start (else the planned start) to the actual end (else the planned "
                   "end); a project still under construction or suspended runs at least to the release date.")
    if view.off_timeline:
        st.caption(view.off_timeline)
share_view("Infrastructure")
