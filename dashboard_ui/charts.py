"""A chart on a page: the Altair chart with its summary, its data table, and PNG/SVG images with title and source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard_ui.session import context
from dashboard_ui.sharing import _chart_provenance, embed_heading, embed_snippet, embed_source
from dashboard_ui.sidebar import describe_plain
from dashboard_ui.tables import show_table
from data_pipeline.views import downloads as D
from data_pipeline.views import embeds as E
from data_pipeline.views import queries as Q
from data_pipeline.views.charts import IMAGE_SIZE, chart_image, keyed_colours, spec_of, with_year_axes


def show_chart(chart, data: pd.DataFrame, title: str, summary: str, name: str, dataset: str,
               columns: list[str] | None = None) -> None:
    """An Altair chart with a one-line summary, its data table, and PNG/SVG images with title and source."""
    ctx = context()
    release = ctx["release"]
    heading = E.heading(title, describe_plain(ctx["filters"], ctx["options"]))
    # years on time axes; one colour per series name across the page's charts; the text alternative
    values, colours = {c: data[c].tolist() for c in data.columns}, ctx.setdefault("colours", {})
    spec = keyed_colours(with_year_axes(spec_of(chart, keep_frames=True)), values, colours)
    spec["description"] = f"{heading}. {summary}"
    if ctx["embed"]:   # only the chart, its heading and a one-line source, in an 800 x 520 iframe
        embed_heading(heading)
        st.vega_lite_chart(E.fit_height(spec), width="stretch")
        embed_source(dataset)
        return
    st.vega_lite_chart(spec, width="stretch")
    source, licence, synthetic = _chart_provenance(dataset)
    st.caption(summary)
    if ctx.get("print"):
        st.markdown(f"**Data table: {Q.md_escape(title)}**")
        show_table(data[columns] if columns else data, name, dataset)
        return
    c1, c2, _ = st.columns([1, 1, 4])
    for col, fmt in ((c1, "png"), (c2, "svg")):
        col.download_button(f"Chart as {fmt.upper()}", file_name=f"{name}.{fmt}", mime=D.MIME[fmt],
                            data=lambda fmt=fmt: chart_image(keyed_colours(with_year_axes(spec_of(chart)), values,  # type: ignore[misc]
                                                                           colours),
                                                             fmt, title=heading, source_line=source,
                                                             licence=licence, release_id=release.release_id,
                                                             release_date=release.created, scale=1,
                                                             synthetic=synthetic, size=IMAGE_SIZE),
                            key=f"img-{name}-{fmt}", on_click="ignore", icon=":material/image:")
    with st.expander("Data table"):
        show_table(data[columns] if columns else data, name, dataset, hide_index=True, width="stretch")
    embed_snippet(heading)
