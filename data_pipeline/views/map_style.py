"""How the maps look: Okabe–Ito colours, the text legend, the offline basemap, the view, and compact deck JSON.

Shared by the Map and Infrastructure pages (through queries_map, which re-exports these names).
"""

from __future__ import annotations

import json
import math

import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from data_pipeline.views.charts import PALETTE

# Colours (RGBA) from the colour-blind-safe Okabe–Ito palette (charts.PALETTE), grey for withheld or unknown,
# with the Streamlit markdown colour nearest to each (for the glyph in the text legend) and its Okabe–Ito name.
GREY = "#999999"


def rgba(hex_colour: str, alpha: int = 255) -> list[int]:
    """[r, g, b, a] of a #RRGGBB colour, as pydeck takes it."""
    return [int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)] + [alpha]


BLUE, ORANGE, GREEN, PURPLE, VERMILLION, BLACK = (PALETTE[4], PALETTE[0], PALETTE[2], PALETTE[6], PALETTE[5],
                                                   PALETTE[7])
CROSSING_COLOUR = rgba(BLUE, 190)
CROSSING_WITHHELD_COLOUR = rgba(GREY, 160)
CROSSING_LEGEND = (CROSSING_COLOUR, "blue", "blue")
# a route, region or whole border a publisher counts as one place: a ring with its name, never a port's dot
AREA_COLOUR = rgba(ORANGE, 230)
AREA_LEGEND = (AREA_COLOUR, "orange", "orange")
NOTICE_COLOURS = {"late": (rgba(VERMILLION, 110), "red", "vermillion"),
                  "on time": (rgba(PURPLE, 110), "violet", "reddish purple"),
                  "unknown": (rgba(GREY, 110), "gray", "grey")}
NOTICE_LINE_COLOUR = rgba(BLACK, 160)
PROJECT_COLOURS = {
    "planned": (rgba(BLUE, 230), "blue", "blue"),
    "under_construction": (rgba(ORANGE, 230), "orange", "orange"),
    "completed": (rgba(GREEN, 230), "green", "bluish green"),
    "suspended": (rgba(PURPLE, 230), "violet", "reddish purple"),
    "cancelled": (rgba(GREY, 230), "gray", "grey"),
}
OTHER_PROJECT = (rgba(BLACK, 230), "gray", "black")


def legend_item(colour: tuple, label: str, glyph: str = "■") -> str:
    """One entry of a map's text legend: the glyph in the nearest Streamlit colour, the label and the colour's
    Okabe–Ito name in words (so the legend does not rest on colour alone)."""
    return f":{colour[1]}[{glyph}] {label} ({colour[2]})"


# The offline basemap: Natural Earth files served by Streamlit's static file server (server.enableStaticServing,
# files in static/geo/). Relative URLs, so the browser asks only this site. Keyword arguments for
# pydeck.Layer("GeoJsonLayer", ...); disputed and claimed boundaries are dashed and red.
BASEMAP_LAYERS = (
    {"data": "app/static/geo/countries_110m.geojson", "id": "basemap-countries", "stroked": True, "filled": True,
     "get_fill_color": [236, 236, 232], "get_line_color": [255, 255, 255], "line_width_min_pixels": 0.5},
    {"data": "app/static/geo/borders_land_50m.geojson", "id": "basemap-land-borders", "stroked": True,
     "filled": False, "get_line_color": [150, 150, 150], "line_width_min_pixels": 1},
    {"data": "app/static/geo/borders_disputed_10m.geojson", "id": "basemap-disputed", "stroked": True,
     "filled": False, "get_line_color": rgba(VERMILLION), "line_width_min_pixels": 1.5,
     "extensions": [{"@@type": "PathStyleExtension", "dash": True}], "get_dash_array": [4, 3],
     "dash_justified": True},
)
BASEMAP_LEGEND = (":gray[—] international land border (grey) · :red[- - -] disputed or claimed boundary "
                  "(vermillion, dashed; Natural Earth)")


class CompactDeck(pdk.Deck):
    """A pydeck Deck whose JSON has no indentation nor \\u escapes: pydeck indents by 2, doubling a map's bytes."""

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"), ensure_ascii=False)


WORLD = (-180.0, -85.0, 180.0, 85.0)   # the Web Mercator world, as far north and south as a map draws it
MAX_ZOOM = 9.0                          # a single point: about a town across


def _mercator_y(lat: float) -> float:
    lat = max(-85.0, min(85.0, lat))
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _fit_zoom(bounds: tuple[float, float, float, float], width_px: int, height_px: int) -> float:
    """The zoom at which the bounds, with a 15% margin, fill a map of width_px x height_px (deck.gl's MapView: the
    world is 512 * 2**zoom pixels wide)."""
    min_x, min_y, max_x, max_y = bounds
    span_x = max(max_x - min_x, 0.2)
    span_y = max(_mercator_y(max_y) - _mercator_y(min_y), 0.2)
    return min(math.log2(width_px * 360.0 / (512.0 * span_x * 1.15)),
               math.log2(height_px * 360.0 / (512.0 * span_y * 1.15)))


def world_zoom(width_px: int, height_px: int) -> float:
    """The zoom at which the whole world fits the map: no data needs a wider view, so it is the floor. Below 0 for
    a frame narrower than the world at zoom 0 (a 320 x 200 embed: about -1.6), where exercises held on several
    continents must still be whole."""
    return _fit_zoom(WORLD, width_px, height_px)


def view_for(bounds: tuple[float, float, float, float] | None, width_px: int = 900,
             height_px: int = 540) -> tuple[float, float, float]:
    """(longitude, latitude, zoom) that fits the bounds in a map of about width_px x height_px (Web Mercator)."""
    if bounds is None:
        return 15.0, 50.0, 2.5
    min_x, min_y, max_x, max_y = bounds
    zoom = max(world_zoom(width_px, height_px), min(MAX_ZOOM, _fit_zoom(bounds, width_px, height_px)))
    centre_y = (_mercator_y(max_y) + _mercator_y(min_y)) / 2
    centre_lat = math.degrees(2 * math.atan(math.exp(math.radians(centre_y))) - math.pi / 2)
    return (min_x + max_x) / 2, centre_lat, zoom


def view_state(bounds: tuple[float, float, float, float] | None, width_px: int, height_px: int) -> pdk.ViewState:
    """The deck's initial view for the bounds (view_for). Its min_zoom is the world's zoom in this frame when that is
    below deck.gl's default floor of 0, else a reader's first pan would snap a world-wide view back to zoom 0,
    wider than the frame."""
    lon, lat, zoom = view_for(bounds, width_px, height_px)
    return pdk.ViewState(longitude=lon, latitude=lat, zoom=zoom,
                         min_zoom=min(0.0, world_zoom(width_px, height_px)))
