"""Map: crossing points sized by volume, exercise areas, infrastructure projects, on an offline basemap."""

from __future__ import annotations

import streamlit as st

from dashboard_ui.frame import end_page
from dashboard_ui.session import surface
from dashboard_ui.sharing import embed_heading, embed_snippet, embed_source, map_heading, share_view
from dashboard_ui.tables import show_table
from data_pipeline.views import embeds as E
from data_pipeline.views import queries_params as P
from data_pipeline.views.queries import PEOPLE, measure_label
from data_pipeline.views.map_deck import deck_for, legend_lines
from data_pipeline.views.queries_map import map_view

if "borderlens" not in st.session_state:  # opened by a deep link before the entry script ran (first visit)
    st.session_state["borderlens_next"] = "pages/map.py"
    st.switch_page("app.py", query_params=st.query_params.to_dict())

LAYERS = {"crossings": "Crossing points", "notices": "Exercise areas", "projects": "Infrastructure"}


@st.cache_data(show_spinner=False, max_entries=128)
def load(release_id: str, release_path: str, filters, measure: str, show: tuple[str, ...]):
    return map_view(release_path, filters, measure, show)


ctx = st.session_state["borderlens"]
release, filters, options, embed = ctx["release"], ctx["filters"], ctx["options"], ctx["embed"]
ui = surface()  # st, or nothing drawn in an embedded view
measures = list(options.measures) or [PEOPLE]
params = [
    P.Param("measure", "map_measure", measures, measures[0], "the measure"),
    P.Param("layers", "map_layers", list(LAYERS), tuple(LAYERS), "the map layers", multi=True),
]
for warning in P.initialise(params, st.session_state, st.query_params):
    st.warning(warning, icon=":material/link_off:")

ui.title("Map")
ui.markdown("Where people cross, where military exercises take place and what is being built along borders. "
            "Hover over a shape for its details. The basemap is drawn from Natural Earth files served by this "
            "site: the map makes no request to any other server.")
left, right = ui.columns([2, 3])
left.selectbox("Crossings: what is counted", measures, key="map_measure", format_func=measure_label,
               help="Circle area grows with the total in the chosen period. People, all modes = persons, "
                    "pedestrians and passengers of vehicles, buses and trains.")
right.pills("Show", list(LAYERS), key="map_layers", selection_mode="multi", format_func=LAYERS.get)
P.publish(params, st.session_state, st.query_params)
show = tuple(layer for layer in LAYERS if layer in (st.session_state["map_layers"] or []))

data = load(release.release_id, release.path, filters, st.session_state["map_measure"], show)

# the map's name, right above it: a real heading, so that a screen reader finds the map by it (Streamlit gives
# the deck's canvas no accessible name); its text alternative is the legend below, which counts what is drawn
embed_heading(map_heading(show, LAYERS, st.session_state["map_measure"]))
if embed:   # only the map, its heading and a one-line source, in an 800 x 520 iframe
    st.pydeck_chart(deck_for(data, E.MAP_FIT_WIDTH, E.MAP_HEIGHT), height=E.MAP_HEIGHT, width="stretch")
else:
    st.pydeck_chart(deck_for(data), height=560, width="stretch")
for line in [" · ".join(legend_lines(data, show))] if embed else legend_lines(data, show):
    st.caption(line)
counts = data.counts
if not any(counts.values()):
    st.info("Nothing to draw for this border, countries and period.")
if embed:
    embed_source(*[{"notices": "exercise_notices", "projects": "infrastructure_projects"}.get(s, s)
                          for s in show])
    end_page()
embed_snippet(map_heading(show, LAYERS, st.session_state["map_measure"]))
tables = [(data.crossing_table, "Crossing points", "map-crossing-points", "crossings"),
          (data.notices.table, "Exercise notices per grid cell" if data.notices.aggregated else "Exercise areas",
           "map-exercise-cells" if data.notices.aggregated else "map-exercise-areas", "exercise_notices"),
          (data.projects.table, "Projects per grid cell" if data.projects.aggregated else "Projects",
           "map-project-cells" if data.projects.aggregated else "map-projects", "infrastructure_projects")]
tables = [t for t in tables if len(t[0])]
if tables:
    with ui.expander("Data table"):   # what the map draws, nothing more: the places, areas and projects, or cells
        for frame, title, name, dataset in tables:
            if len(tables) > 1:
                st.markdown(f"**{title}**")
            show_table(frame, name, dataset, hide_index=True, width="stretch")
share_view("Map")
