"""Chart images for officials: the title, source, licence and release are drawn into the PNG / SVG itself,
in the colour-blind-safe palette, rendered offline (a chart that would load anything is refused)."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import altair as alt
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from data_pipeline.charts import PALETTE, chart_image, footer_text, with_year_axes

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SOURCE = 'US BTS "Border Crossing Entry Data" <2024> & neighbours'
ARGS = dict(title="Trucks entering per month", source_line=SOURCE, licence="Public domain & CC-BY-4.0",
            release_id="bb0fa86b43a9fb15", release_date="2025-06-30")


def _chart() -> alt.Chart:
    frame = pd.DataFrame({"month": [f"2024-{m:02d}-01" for m in range(1, 13)] * 2,
                          "trucks": list(range(100, 1300, 100)) + list(range(50, 650, 50)),
                          "port": ["Alpha Falls"] * 12 + ["Beta Bridge"] * 12})
    return alt.Chart(frame).mark_line(strokeWidth=4).encode(x="month:T", y="trucks:Q", color="port:N")


def _svg_text(svg: bytes) -> str:
    root = ET.fromstring(svg)  # well-formed XML, or this raises
    return "\n".join(node.text for node in root.iter() if node.tag.endswith(("text", "tspan")) and node.text)


def test_png_is_a_real_image_in_the_palette():
    data = chart_image(_chart(), "png", **ARGS)
    assert data.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(data)).convert("RGB")
    assert image.width > 600 and image.height > 300
    pixels = np.asarray(image).reshape(-1, 3)
    assert pixels.std() > 20  # not a blank canvas
    colours = {tuple(int(PALETTE[i][k:k + 2], 16) for k in (1, 3, 5)) for i in (0, 1)}
    present = {tuple(p) for p in np.unique(pixels, axis=0)}
    assert colours <= present, "the two series are drawn in the first Okabe-Ito colours"


def test_svg_carries_title_source_licence_and_release_escaped():
    svg = chart_image(_chart(), "svg", **ARGS)
    text = _svg_text(svg)
    for line in footer_text(SOURCE, ARGS["licence"], ARGS["release_id"], ARGS["release_date"]):
        assert line in text
    assert ARGS["title"] in text and "Source: " + SOURCE in text
    assert "borderlens release bb0fa86b43a9fb15 (2025-06-30)" in text
    assert b"&lt;2024&gt; &amp; neighbours" in svg and b"<2024>" not in svg


def test_any_vega_lite_spec_is_framed_even_composed_or_container_sized():
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.20.1.json",
            "data": {"values": [{"a": "x", "b": 1}, {"a": "y", "b": -2}]},
            "hconcat": [{"mark": "bar", "encoding": {"x": {"field": "a"}, "y": {"field": "b", "type": "quantitative"}},
                         "width": "container"},
                        {"mark": "point", "encoding": {"x": {"field": "b", "type": "quantitative"}}}]}
    text = _svg_text(chart_image(spec, "svg", **ARGS))
    assert "bb0fa86b43a9fb15" in text and ARGS["title"] in text
    layered = _chart() + _chart().mark_point().add_params(alt.selection_point())
    assert chart_image(layered, "png", **ARGS).startswith(PNG_SIGNATURE)


@pytest.mark.parametrize("spec", [
    {"data": {"url": "https://example.com/secret.csv"}, "mark": "point"},
    {"data": {"url": "file:///etc/passwd", "format": {"type": "csv"}}, "mark": "point"},
    {"data": {"values": [{"a": 1}]}, "mark": "image",
     "encoding": {"url": {"value": "https://example.com/tracker.png"}}},
], ids=["http-data", "file-data", "image"])
def test_a_chart_that_would_load_anything_is_refused(spec):
    with pytest.raises(ValueError, match="offline"):
        chart_image(spec, "png", **ARGS)


def test_a_data_column_named_url_is_data_not_a_request():
    spec = {"data": {"values": [{"url": "https://example.com", "n": 3}]}, "mark": "bar",
            "encoding": {"y": {"field": "url"}, "x": {"field": "n", "type": "quantitative"}}}
    assert "https://example.com" in _svg_text(chart_image(spec, "svg", **ARGS))
    with pytest.raises(ValueError, match="fmt"):
        chart_image(spec, "jpeg", **ARGS)


def test_a_short_period_has_one_label_per_month_at_most():
    """Four monthly figures on a wide image: the time axis must not put ticks between months, whose month-year
    labels would repeat ("Nov 2024" four times on the trends page)."""
    frame = pd.DataFrame({"month": ["2024-11-01", "2024-12-01", "2025-01-01", "2025-02-01"],
                          "people": [2_500_000, 4_000_000, 3_500_000, 3_100_000]})
    chart = alt.Chart(frame).mark_line().encode(x="month:T", y="people:Q")
    svg = chart_image(with_year_axes(chart.to_dict()), "svg", size=(1200, 675), **ARGS)
    labels = [t for t in _svg_text(svg).splitlines() if t[:3] in {"Nov", "Dec", "Jan", "Feb", "Oct", "Mar"}
              and t[-4:].isdigit()]
    assert labels and len(labels) == len(set(labels)), labels
