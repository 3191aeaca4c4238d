"""Map: crossing points sized by volume, exercise areas, infrastructure projects, on an offline basemap."""

from __future__ import annotations

import pydeck as pdk
import streamlit as st

from data_pipeline import queries_params as P
from data_pipeline.queries import PEOPLE, measure_label
from data_pipeline.queries_map import (BASEMAP_LAYERS, BASEMAP_LEGEND, CROSSING_COLOUR, CROSSING_LEGEND,
                                       NOTICE_COLOURS, NOTICE_LINE_COLOUR, PROJECT_COLOURS, legend_item, map_view,
                                       view_for)

if "borderlens" not in st.session_state:  # opened by a deep link before the entry script ran (first visit)
    st.session_state["borderlens_next"] = "pages/map.py"
    st.switch_page("app.py", query_params=st.query_params.to_dict())

LAYERS = {"crossings": "Crossing points", "notices": "Exercise areas", "projects": "Infrastructure"}


@st.cache_data(show_spinner=False, max_entries=128)
def load(release_id: str, release_path: str, filters, measure: str, show: tuple[str, ...]):
    return map_view(release_path, filters, measure, show)


ctx = st.session_state["borderlens"]
release, filters, options, embed = ctx["release"], ctx["filters"], ctx["options"], ctx["embed"]
ui = ctx["ui"]  # st, or nothing drawn in an embedded view
measures = list(options.measures) or [PEOPLE]
params = [
    P.Param("measure", "map_measure", measures, measures[0], "the measure"),
    P.Param("layers", "map_layers", list(LAYERS), tuple(LAYERS), "the map layers", multi=True),
]
for warning in P.initialise(params, st.session_state, st.query_params):
    st.warning(warning, icon=":material/link_off:")

st.title("Map")
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

layers = [pdk.Layer("GeoJsonLayer", **spec) for spec in BASEMAP_LAYERS]
if data.projects["features"]:
    layers.append(pdk.Layer("GeoJsonLayer", data.projects, id="projects", pickable=True, stroked=True,
                            filled=True, get_fill_color="properties.colour",
                            get_line_color="properties.colour", get_point_radius=3000,
                            point_radius_min_pixels=4, line_width_min_pixels=3))
if data.notices["features"]:
    layers.append(pdk.Layer("GeoJsonLayer", data.notices, id="notices", pickable=True, stroked=True, filled=True,
                            get_fill_color="properties.colour",
                            get_line_color=NOTICE_LINE_COLOUR, line_width_min_pixels=1,
                            get_point_radius=8000, point_radius_min_pixels=5))
if data.crossing_cells["features"]:
    layers.append(pdk.Layer("GeoJsonLayer", data.crossing_cells, id="crossing-cells", pickable=True,
                            stroked=True, filled=True, get_fill_color="properties.colour",
                            get_line_color=CROSSING_COLOUR[:3] + [255], line_width_min_pixels=1))
if len(data.crossings):
    layers.append(pdk.Layer("ScatterplotLayer", data.crossings, id="crossings", pickable=True,
                            get_position=["lon", "lat"], get_radius="radius", get_fill_color="colour",
                            get_line_color=[255, 255, 255, 220], stroked=True, line_width_min_pixels=1,
                            radius_min_pixels=3, radius_max_pixels=40))

lon, lat, zoom = view_for(data.bounds)
deck = pdk.Deck(layers=layers, map_provider=None,
                initial_view_state=pdk.ViewState(longitude=lon, latitude=lat, zoom=zoom),
                tooltip={"text": "{tooltip}"})
st.pydeck_chart(deck, height=560, width="stretch")

counts = data.counts
legend = []
if "crossings" in show:
    legend.append(legend_item(CROSSING_LEGEND, f"crossing point ({counts['crossings']:,})", "●")
                  + f", area grows with {data.measure_label} in "
                  f"the period; grey = all figures withheld; a filled cell = location coarsened to that cell"
                  + (f". {counts['unplaced']:,} crossing points have no published coordinates and are not drawn"
                     if counts["unplaced"] else "")
                  + (f". Only the {counts['crossings']:,} largest are drawn; {counts['not_drawn']:,} smaller ones "
                     "are left out" if counts["not_drawn"] else ""))
if "notices" in show:
    legend.append(legend_item(NOTICE_COLOURS["on time"], "exercise area notified on time") + ", "
                  + legend_item(NOTICE_COLOURS["late"], "notified late") + ", "
                  + legend_item(NOTICE_COLOURS["unknown"], "lead time unknown")
                  + f" ({counts['notices']:,} areas; a coarsened one is drawn as its whole cell)")
if "projects" in show:
    legend.append("projects (" + f"{counts['projects']:,}): " + ", ".join(
        legend_item(colour, status.replace("_", " ")) for status, colour in PROJECT_COLOURS.items()))
legend.append(BASEMAP_LEGEND)
for line in legend:
    st.caption(line)
if not any(counts.values()):
    st.info("Nothing to draw for this border, countries and period.")
if embed:
    ctx["source"](*[{"notices": "exercise_notices", "projects": "infrastructure_projects"}.get(s, s) for s in show])
    st.stop()
if len(data.crossings):
    with ui.expander("Data table"):
        ctx["table"](data.crossings[[c for c in ("location_id", "location_name", "lon", "lat", "value", "tooltip")
                                     if c in data.crossings.columns]], "map-crossing-points", "crossings",
                     hide_index=True, width="stretch")
ctx["share"]("Map")
