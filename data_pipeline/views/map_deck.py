"""The Map page's deck and legend from a MapData: pydeck layers carrying only what they draw, compact JSON."""

from __future__ import annotations

import pydeck as pdk

from data_pipeline.views.map_style import (AREA_COLOUR, AREA_LEGEND, BASEMAP_LAYERS, BASEMAP_LEGEND, CROSSING_COLOUR,
                                     CROSSING_LEGEND,
                                     CROSSING_WITHHELD_COLOUR, NOTICE_COLOURS, NOTICE_LINE_COLOUR, PROJECT_COLOURS,
                                     CompactDeck, legend_item, view_state)
from data_pipeline.views.queries_map import MapData
from data_pipeline.views.queries_map_areas import NARROW

# text only (Streamlit escapes it; never "html"); wrapped, so a long line stays inside the map
TOOLTIP = {"text": "{tooltip}", "style": {"maxWidth": "360px", "whiteSpace": "normal"}}


def deck_for(data: MapData, width_px: int = 900, height_px: int = 540) -> pdk.Deck:
    """The map: offline basemap, then projects, exercise areas (or their cells), crossing cells and points;
    centred and zoomed so that the data fits a map of width_px x height_px."""
    layers = [pdk.Layer("GeoJsonLayer", **spec) for spec in BASEMAP_LAYERS]
    projects, notices = data.projects, data.notices
    if projects.aggregated and len(projects.cells):
        layers.append(pdk.Layer("ScatterplotLayer", projects.cells, id="project-cells", pickable=True,
                                get_position=["lon", "lat"], get_radius="radius", get_fill_color="colour",
                                get_line_color=[40, 40, 40, 230], stroked=True, line_width_min_pixels=1,
                                radius_min_pixels=3))
    elif projects.features["features"]:
        layers.append(pdk.Layer("GeoJsonLayer", projects.features, id="projects", pickable=True, stroked=True,
                                filled=True, get_fill_color="properties.colour",
                                get_line_color="properties.colour", get_point_radius=3000,
                                point_radius_min_pixels=4, line_width_min_pixels=3))
    if notices.aggregated and len(notices.cells):
        layers.append(pdk.Layer("PolygonLayer", notices.cells, id="notice-cells", pickable=True, stroked=True,
                                filled=True, get_polygon="polygon", get_fill_color="colour",
                                get_line_color=NOTICE_LINE_COLOUR, line_width_min_pixels=1))
    elif notices.features["features"]:
        layers.append(pdk.Layer("GeoJsonLayer", notices.features, id="notices", pickable=True, stroked=True,
                                filled=True, get_fill_color="properties.colour",
                                get_line_color=NOTICE_LINE_COLOUR, line_width_min_pixels=1,
                                get_point_radius=8000, point_radius_min_pixels=5))
    if data.crossing_cells["features"]:
        layers.append(pdk.Layer("GeoJsonLayer", data.crossing_cells, id="crossing-cells", pickable=True,
                                stroked=True, filled=True, get_fill_color="properties.colour",
                                get_line_color=CROSSING_COLOUR[:3] + [255], line_width_min_pixels=1))
    points = data.crossings
    area = points["area"].astype(bool).to_numpy()   # a boolean mask (an empty frame's column is of objects)
    ports, areas = points[~area], points[area]
    withheld = ports["withheld"].astype(bool).to_numpy()
    for layer_id, rows, colour in (("crossings", ports[~withheld], CROSSING_COLOUR),
                                   ("crossings-withheld", ports[withheld], CROSSING_WITHHELD_COLOUR)):
        if len(rows):   # one colour per layer, so that each point carries only position, size and tooltip
            layers.append(pdk.Layer("ScatterplotLayer", rows[["lon", "lat", "radius", "tooltip"]], id=layer_id,
                                    pickable=True, get_position=["lon", "lat"], get_radius="radius",
                                    get_fill_color=colour, get_line_color=[255, 255, 255, 220], stroked=True,
                                    line_width_min_pixels=1, radius_min_pixels=3, radius_max_pixels=40))
    if len(areas):   # a route or region: a ring at the point its publisher's profile places it, and its name
        layers.append(pdk.Layer("ScatterplotLayer", areas[["lon", "lat", "radius", "tooltip"]], id="crossing-areas",
                                pickable=True, get_position=["lon", "lat"], get_radius="radius", filled=True,
                                get_fill_color=AREA_COLOUR[:3] + [40], get_line_color=AREA_COLOUR, stroked=True,
                                line_width_min_pixels=3, radius_min_pixels=8, radius_max_pixels=60))
        layers.append(pdk.Layer("TextLayer", areas[["lon", "lat", "name"]], id="crossing-area-names",
                                get_position=["lon", "lat"], get_text="name", get_size=13, get_color=[0, 0, 0, 230],
                                get_text_anchor=pdk.types.String("middle"),
                                get_alignment_baseline=pdk.types.String("top"),
                                get_pixel_offset=[0, 10], background=True,
                                get_background_color=[255, 255, 255, 200]))
    return CompactDeck(layers=layers, map_provider=None, initial_view_state=view_state(data.bounds, width_px, height_px),
                       tooltip=TOOLTIP)


def _detail_note(layer, what: str) -> str:
    """Why a layer is counted per cell and how to see each feature, in one sentence (empty when drawn one by one)."""
    if not layer.aggregated:
        return ""
    return (f" **Counted per {layer.step:g}° grid cell, not drawn one by one**: {layer.reason}. To see each {what}, "
            f"{NARROW}.")


def legend_lines(data: MapData, show: tuple[str, ...]) -> list[str]:
    """The text legend: each layer's colours in words, what is left out, and which layers are counted per cell."""
    counts, lines = data.counts, []
    if "crossings" in show and counts.get("areas"):
        lines.append(legend_item(AREA_LEGEND, f"route or area counted as a whole ({counts['areas']:,})", "◯")
                     + f", labelled with its name, at a point chosen to show it (not a port); its area grows with "
                     f"{data.measure_label} in the period")
    if "crossings" in show:
        lines.append(legend_item(CROSSING_LEGEND, f"crossing point ({counts['crossings']:,})", "●")
                     + f", area grows with {data.measure_label} in the period; grey = all figures withheld; "
                     "a filled cell = location coarsened to that cell"
                     + (f". {counts['unplaced']:,} crossing points have no published coordinates and are not drawn"
                        if counts["unplaced"] else "")
                     + (f". Only the {counts['crossings']:,} largest are drawn; {counts['not_drawn']:,} smaller ones "
                        "are left out (choose a border or countries to see them)" if counts["not_drawn"] else ""))
    if "notices" in show:
        if data.notices.aggregated:
            lines.append(f"exercise notices ({counts['notices']:,}) counted per cell: a square's colour is the "
                         "commonest lead time in it, "
                         + legend_item(NOTICE_COLOURS["on time"], "notified on time") + ", "
                         + legend_item(NOTICE_COLOURS["late"], "late") + ", "
                         + legend_item(NOTICE_COLOURS["unknown"], "unknown")
                         + "; the darker, the more notices." + _detail_note(data.notices, "area"))
        else:
            lines.append(legend_item(NOTICE_COLOURS["on time"], "exercise area notified on time") + ", "
                         + legend_item(NOTICE_COLOURS["late"], "notified late") + ", "
                         + legend_item(NOTICE_COLOURS["unknown"], "lead time unknown")
                         + f" ({counts['notices']:,} areas; a coarsened one is drawn as its whole cell)")
    if "projects" in show:
        colours = ", ".join(legend_item(colour, status.replace("_", " ")) for status, colour in PROJECT_COLOURS.items())
        if data.projects.aggregated:
            lines.append(f"projects ({counts['projects']:,}) counted per cell: a circle at the cell's centre, its "
                         f"area grows with the number of projects, coloured by the commonest status: {colours}."
                         + _detail_note(data.projects, "project"))
        else:
            lines.append(f"projects ({counts['projects']:,}): {colours}")
    lines.append(BASEMAP_LEGEND)
    return lines
