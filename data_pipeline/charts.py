"""Chart images for reports: any Altair / Vega-Lite chart as PNG or SVG with its title, source, licence and
release drawn into the image, so that a copied picture still says where it comes from.

Rendered offline by vl-convert: a chart must carry its data inline (values or datasets); any `url` in the spec
is refused, and vl-convert is told to allow no external base URL on top of that.
"""

from __future__ import annotations

import copy
import re

# Okabe & Ito (2008), "Color Universal Design": eight colours told apart with any common colour-vision deficiency.
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
FORMATS = ("png", "svg")
DEFAULT_WIDTH, DEFAULT_HEIGHT = 640, 320
FOOTER_FONT_SIZE = 11
FOOTER_ONE_LINE = 110  # characters; a longer footer goes on two lines (source, then licence and release)
# Properties Vega-Lite takes only on the top-level spec: they move to the frame when a chart is wrapped.
TOP_LEVEL_ONLY = ("$schema", "config", "datasets", "background", "padding", "autosize", "usermeta")


def footer_text(source_line: str, licence: str, release_id: str, release_date: str) -> list[str]:
    """The provenance footer, one or two lines: Source: … · Licence: … · borderlens release <id> (<date>)."""
    source = f"Source: {source_line}"
    rest = f"Licence: {licence} · borderlens release {release_id} ({release_date})"
    one = f"{source} · {rest}"
    return [one] if len(one) <= FOOTER_ONE_LINE else [source, rest]


def chart_image(chart, fmt: str = "png", title: str = "", source_line: str = "", licence: str = "",
                release_id: str = "", release_date: str = "", scale: float = 2.0) -> bytes:
    """PNG or SVG bytes of chart (an Altair chart or a Vega-Lite dict) framed with a title and the footer."""
    import vl_convert as vlc

    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, not {fmt!r}")
    spec = chart.to_dict() if hasattr(chart, "to_dict") else copy.deepcopy(chart)
    if not isinstance(spec, dict):
        raise TypeError("chart must be an Altair chart or a Vega-Lite spec (dict)")
    external = external_references(spec)
    if external:
        raise ValueError(f"chart images are rendered offline: the chart must carry its data inline, "
                         f"not load {external[0]!r}")
    framed = framed_spec(spec, title, footer_text(source_line, licence, release_id, release_date))
    options = {"allowed_base_urls": []}
    version = _vl_version(framed.get("$schema", ""), vlc.get_vegalite_versions())
    if version:
        options["vl_version"] = version
    if fmt == "png":
        return vlc.vegalite_to_png(framed, scale=scale, **options)
    return vlc.vegalite_to_svg(framed, **options).encode("utf-8")


def framed_spec(spec: dict, title: str, footer: list[str]) -> dict:
    """A vconcat of the chart and a text view holding the footer, under one title; the chart's top-level-only
    properties move to the frame, and the Okabe–Ito palette is the default for categories."""
    inner = copy.deepcopy(spec)
    frame = {key: inner.pop(key) for key in TOP_LEVEL_ONLY if key in inner}
    if "params" in inner and "mark" not in inner:  # a layer's or concat's params live on the top level only
        frame["params"] = inner.pop("params")
    for key, default in (("width", DEFAULT_WIDTH), ("height", DEFAULT_HEIGHT)):
        if inner.get(key) == "container":  # no container to measure off screen
            inner[key] = default
    footer_view = {
        "data": {"values": [{"footer": 0}]},
        "mark": {"type": "text", "text": footer if len(footer) > 1 else footer[0], "align": "left",
                 "baseline": "top", "fontSize": FOOTER_FONT_SIZE, "color": "#333333", "lineHeight": 15},
        "encoding": {"x": {"value": 0}, "y": {"value": 0}},
        "width": 1, "height": 15 * len(footer),  # the text overflows its view: the image grows to hold it
        "view": {"stroke": None},
    }
    config = copy.deepcopy(frame.get("config", {}))
    config.setdefault("range", {}).setdefault("category", list(PALETTE))
    config.setdefault("mark", {}).setdefault("color", PALETTE[4])
    frame["config"] = config
    frame.setdefault("background", "white")
    frame.setdefault("padding", 12)
    frame["title"] = {"text": title, "anchor": "start", "fontSize": 16, "offset": 12}
    frame["vconcat"] = [inner, footer_view]
    frame["spacing"] = 16
    return frame


def external_references(spec) -> list[str]:
    """Every `url` a spec would load (data, images, …), outside the inline data rows themselves."""
    found: list[str] = []

    def walk(node, parent_key=None):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "datasets" or (key == "values" and parent_key == "data"):
                    continue  # inline rows: a column named url is data, not a request
                if key == "url":
                    found.append(value if isinstance(value, str) else repr(value))
                else:
                    walk(value, key)
        elif isinstance(node, list):
            for item in node:
                walk(item, parent_key)

    walk(spec)
    return found


def _vl_version(schema: str, supported) -> str | None:
    """The Vega-Lite version a spec's $schema names, when vl-convert has it (else vl-convert's newest)."""
    match = re.search(r"/v(\d+)\.(\d+)", schema)
    if not match:
        return None
    version = f"{match.group(1)}.{match.group(2)}"
    return version if version in supported else None
