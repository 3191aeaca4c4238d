"""Chart images for reports: any Altair / Vega-Lite chart as PNG or SVG with its title, source, licence and
release drawn into the image, so that a copied picture still says where it comes from.

Rendered offline by vl-convert: a chart must carry its data inline (values or datasets); any `url` in the spec
is refused, and vl-convert is told to allow no external base URL on top of that.
"""

from __future__ import annotations

import copy
import io
import re
import threading

from data_pipeline.views.embeds import copy_spec, fit_height, stacked_views

# Okabe & Ito (2008), "Color Universal Design": eight colours told apart with any common colour-vision deficiency.
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
FORMATS = ("png", "svg")
IMAGE_SIZE = (1200, 675)   # a chart image for a report: full width, 16:9
SYNTHETIC_LABEL = "Synthetic demo data: some plotted figures are invented for the demo and describe no real event."
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
                release_id: str = "", release_date: str = "", scale: float = 2.0, synthetic: bool = False,
                size: tuple[int, int] | None = None) -> bytes:
    """PNG or SVG bytes of chart (an Altair chart or a Vega-Lite dict) framed with a title and the footer; with
    size (width, height) the chart fills that page (IMAGE_SIZE for a report) and a PNG is exactly that size
    times scale. synthetic adds the demo-data label to the footer."""
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
    footer = footer_text(source_line, licence, release_id, release_date)
    if synthetic:
        footer = [SYNTHETIC_LABEL, *footer]
    if size:
        spec = fitted(spec, size, len(footer))
    framed = framed_spec(spec, title, footer)
    options: dict = {"allowed_base_urls": []}
    version = _vl_version(framed.get("$schema", ""), vlc.get_vegalite_versions())
    if version:
        options["vl_version"] = version
    if fmt == "png":
        png = vlc.vegalite_to_png(framed, scale=scale, **options)
        return on_page(png, (round(size[0] * scale), round(size[1] * scale))) if size else png
    return vlc.vegalite_to_svg(framed, **options).encode("utf-8")


def fitted(spec: dict, size: tuple[int, int], footer_lines: int) -> dict:
    """The chart's views widened to the page and their heights shared out so the framed chart fills size:
    what is left after padding, title, footer and each view's axes and title (measured: about 70 px a view)."""
    width, height = size
    views = stacked_views(spec)
    plot_height = height - 2 * 12 - 40 - 16 - 15 * footer_lines - 70 * len(views)
    out = fit_height(spec, max(80, plot_height))
    for view in stacked_views(out):
        view["width"] = width - 2 * 12 - 110   # the y axis, its title and a legend's share
    return out


def on_page(png: bytes, page: tuple[int, int]) -> bytes:
    """The rendered PNG on a white page of exactly `page` pixels: shrunk to fit if larger, never stretched."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    if image.width > page[0] or image.height > page[1]:
        image.thumbnail(page, Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", page, "white")
    canvas.paste(image, (0, 0))
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return out.getvalue()


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


# ---------------------------------------------------------------------------------------------- page conventions

_ALTAIR = threading.Lock()   # Altair's data transformer and theme are process-wide settings


def spec_of(chart, keep_frames: bool = False) -> dict:
    """The Vega-Lite dict of an Altair chart (a dict is copied). keep_frames: each dataset stays the DataFrame it
    came from, as Streamlit's own altair_chart keeps it (sent as Arrow: dates and numbers stay typed); otherwise
    the rows are inline JSON (what vl-convert renders)."""
    if isinstance(chart, dict):
        return copy_spec(chart)
    if not keep_frames:
        return chart.to_dict()
    import altair as alt

    frames: dict[str, object] = {}

    def keep(data):
        name = f"frame-{id(data)}"
        frames[name] = data
        return {"name": name}

    with _ALTAIR:
        alt.data_transformers.register("borderlens_frames", keep)
        with alt.data_transformers.enable("borderlens_frames"), alt.theme.enable("none"):
            spec = chart.to_dict()
    spec["datasets"] = {**(spec.get("datasets") or {}), **frames}
    return spec


YEAR_MONTH = "%b %Y"   # a time axis says the year on every label ("May 2024", never a bare "May")
# A time axis per step of the figures drawn: a yearly point gets a yearly tick labelled with its year, a quarterly
# one a tick every three months (a chart of two yearly points otherwise got twelve monthly ticks).
GRAIN_AXES = {"month": {}, "quarter": {"tickCount": {"interval": "month", "step": 3}},
              "year": {"format": "%Y", "tickCount": {"interval": "year", "step": 1}}}
# The smallest step between time ticks, in milliseconds (Vega reads it in domain units): figures are at least
# monthly, so a short period gets no ticks between months, whose month-year labels would repeat ("Nov 2024" x4).
MONTH_MS = 28 * 24 * 3600 * 1000


def _encodings(spec):
    """Every encoding block of a spec (views inside layers and concatenations included)."""
    if isinstance(spec, dict):
        if isinstance(spec.get("encoding"), dict):
            yield spec["encoding"]
        for key in ("layer", "vconcat", "hconcat", "concat"):
            for member in spec.get(key, []) or []:
                yield from _encodings(member)
        if isinstance(spec.get("spec"), dict):
            yield from _encodings(spec["spec"])


def with_year_axes(spec: dict) -> dict:
    """A copy of spec whose time axes label each tick with month and year (unless the chart set a format), with
    ticks no closer than a month."""
    out = copy_spec(spec)
    for encoding in _encodings(out):
        for channel in ("x", "y"):
            enc = encoding.get(channel)
            if isinstance(enc, dict) and enc.get("type") == "temporal" and enc.get("axis", {}) is not None:
                axis = enc.setdefault("axis", {})
                axis.setdefault("format", YEAR_MONTH)
                axis.setdefault("labelOverlap", True)
                axis.setdefault("tickMinStep", MONTH_MS)
    return out


def keyed_colours(spec: dict, values: dict[str, list], assigned: dict[str, str]) -> dict:
    """A copy of spec whose colour scales map each series name to one colour for the whole page: `assigned`
    (name -> colour, kept by the page across its charts) grows in order of first appearance. Only a colour
    encoding of a field in `values` (field -> its values in the chart's data) without a domain is keyed."""
    out = copy_spec(spec)
    for encoding in _encodings(out):
        enc = encoding.get("color")
        field = enc.get("field") if isinstance(enc, dict) else None
        if not field or field not in values or "domain" in (enc.get("scale") or {}):
            continue
        names = [str(v) for v in dict.fromkeys(values[field]) if v is not None and v == v]
        for name in names:
            assigned.setdefault(name, PALETTE[len(assigned) % len(PALETTE)])
        enc["scale"] = {**(enc.get("scale") or {}), "domain": names, "range": [assigned[n] for n in names]}
    return out
