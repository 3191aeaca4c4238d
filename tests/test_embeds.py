"""The pure parts of embeds and report images: the iframe snippet escapes its title, the embed address, the
one-line source, chart heights fitted to a budget, and chart images of exactly the report size."""

from __future__ import annotations

import io

import altair as alt
import pandas as pd
from PIL import Image

from data_pipeline.views import embeds as E
from data_pipeline.views.charts import IMAGE_SIZE, PALETTE, SYNTHETIC_LABEL, chart_image, keyed_colours, with_year_axes


def test_the_snippet_embeds_the_same_view_and_escapes_its_title():
    snippet = E.iframe_snippet("http://h/trends?measure=trucks&embed=false&port=X", 'Trucks "at" <Y> & Z')
    assert snippet.startswith('<iframe src="http://h/trends?measure=trucks&amp;port=X&amp;embed=true"')
    assert 'title="Trucks &quot;at&quot; &lt;Y&gt; &amp; Z"' in snippet
    assert 'width="800" height="520"' in snippet and "<Y>" not in snippet


def test_the_one_line_source_names_what_fits_and_counts_the_rest():
    assert E.publishers_line(["US BTS"]) == "US BTS"
    assert E.publishers_line(["US BTS", "Canada Border Services", "Other"]) == "US BTS; Canada Border Services and 1 more"
    line = E.publishers_line(["US Bureau of Transportation Statistics (BTS)", "Canada Border Services"])
    assert line == "US Bureau of Transportation Stati… and 1 more"
    assert E.publishers_line(["x" * 100]).endswith("…") and len(E.publishers_line(["x" * 100])) == E.SOURCE_CHARS


def test_stacked_views_share_the_height_budget_in_proportion():
    spec = {"vconcat": [{"mark": "line", "height": 320}, {"mark": "bar", "height": 80}]}
    fitted = E.fit_height(spec, 200)
    assert [v["height"] for v in fitted["vconcat"]] == [160, 40] and spec["vconcat"][0]["height"] == 320


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"period": pd.to_datetime(["2024-01-01", "2024-02-01"] * 2), "value": [1, 2, 3, 4],
                         "series": ["Laredo", "Laredo", "El Paso", "El Paso"]})


def test_a_report_image_is_1200_by_675_with_title_and_synthetic_label():
    chart = alt.Chart(_frame()).mark_line().encode(x="period:T", y="value:Q", color="series:N")
    png = chart_image(chart, "png", title="Trucks per month · Mexico – United States · Jan 2024 to Feb 2024",
                      source_line="US BTS", licence="Public domain", release_id="abc", release_date="2025-01-01",
                      scale=1, synthetic=True, size=IMAGE_SIZE)
    assert Image.open(io.BytesIO(png)).size == (1200, 675)
    svg = chart_image(chart, "svg", title="Trucks per month · Mexico – United States", source_line="US BTS",
                      synthetic=True, size=IMAGE_SIZE).decode("utf-8")
    assert "Trucks per month · Mexico – United States" in svg and SYNTHETIC_LABEL in svg
    assert 'width="12' in svg[:400] or 'width="11' in svg[:400]   # full width, not a 400 px plot


def test_time_axes_carry_years_and_series_keep_their_colour_across_charts():
    chart = alt.Chart(_frame()).mark_line().encode(x="period:T", y="value:Q", color="series:N").to_dict()
    assert with_year_axes(chart)["encoding"]["x"]["axis"]["format"] == "%b %Y"
    page: dict[str, str] = {}
    first = keyed_colours(chart, {"series": ["Laredo", "El Paso"]}, page)
    second = keyed_colours(chart, {"series": ["El Paso"]}, page)   # a later chart holding one of them
    assert first["encoding"]["color"]["scale"] == {"domain": ["Laredo", "El Paso"], "range": list(PALETTE[:2])}
    assert second["encoding"]["color"]["scale"] == {"domain": ["El Paso"], "range": [PALETTE[1]]}
