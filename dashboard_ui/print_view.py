"""The embedded and printed views' stand-ins for `st` (?embed=true, ?print=true), and tables drawn whole for paper."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_pipeline.views import queries as Q


class Hidden:
    """Stands in for `st` or a column in an embedded view: explanations and controls are not drawn there (the
    view's choices still come from the URL, through session state)."""

    def columns(self, spec, **kwargs):
        return [self] * (spec if isinstance(spec, int) else len(spec))

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


class PrintView:
    """Stands in for `st` or a column in the printable view (?print=true): text, charts and tables are drawn as
    they are, one below the other; controls are not drawn (a line at the top states the choices); expanders are
    open and tabs are drawn one after another, so that everything is on paper."""

    WIDGETS = {"selectbox", "multiselect", "select_slider", "slider", "pills", "segmented_control", "radio",
               "checkbox", "toggle", "text_input", "number_input", "date_input", "button", "download_button",
               "page_link", "link_button", "popover"}

    def columns(self, spec, **kwargs):
        return [self] * (spec if isinstance(spec, int) else len(spec))

    def expander(self, label, expanded=False, **kwargs):
        st.markdown(f"**{label}**")
        return st.container()

    def dataframe(self, data, **kwargs):
        print_table(pd.DataFrame(data), kwargs.get("column_config"))

    def tabs(self, labels, **kwargs):
        containers = []
        for label in labels:
            box = st.container()
            box.subheader(label)
            containers.append(box)
        return containers

    def __getattr__(self, name):
        if name in self.WIDGETS:
            return lambda *args, **kwargs: None
        return getattr(st, name)


PRINT_MAX_ROWS = 300  # a printed table shows at most this many rows (with a note when there are more)
PRINT_MAX_CHARS = 5000  # and at most this many characters of a cell


def print_table(df: pd.DataFrame, column_config: dict | None = None) -> None:
    """A table drawn whole for paper: st.table (no scrolling grid), labels from the column_config, the first
    PRINT_MAX_ROWS rows with a note when there are more."""
    labels, shown = {}, df.head(PRINT_MAX_ROWS).copy()
    for column, config in (column_config or {}).items():
        label = config if isinstance(config, str) else (config or {}).get("label")
        if label and column in shown.columns:
            labels[column] = label
    for column in shown.columns:
        config = (column_config or {}).get(column)
        fmt = ((config or {}).get("type_config") or {}).get("format") if isinstance(config, dict) else None
        # st.table renders cells as Markdown: a cell is escaped, so data text is shown, never rendered or fetched
        shown[column] = [Q.md_escape(_print_value(v, fmt), PRINT_MAX_CHARS) for v in shown[column]]
    shown = shown.rename(columns=labels)
    st.table(shown, hide_index=True)
    if len(df) > PRINT_MAX_ROWS:
        st.caption(f"The first {PRINT_MAX_ROWS:,} of {len(df):,} rows; all rows are in the page's downloads.")


def _print_value(value, fmt: str | None = None) -> str:
    """A cell as text for paper: whole numbers with thousands separators, shares as percentages, dates as dates."""
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    if isinstance(value, bool) or hasattr(value, "dtype") and str(value.dtype) == "bool":
        return str(bool(value)).lower()
    if isinstance(value, pd.Timestamp) or hasattr(value, "isoformat"):
        stamp = pd.Timestamp(value)
        return Q.date_text(stamp) if stamp == stamp.normalize() else stamp.isoformat(sep=" ")
    if isinstance(value, (int, float)) or hasattr(value, "item"):
        number = value.item() if hasattr(value, "item") else value
        if isinstance(number, bool):
            return str(number).lower()
        if fmt == "percent":
            return f"{number:.1%}"
        if isinstance(number, int) or float(number).is_integer():
            whole = int(number)
            return f"{whole:,}" if fmt == "localized" or (fmt is None and abs(whole) >= 10_000) else str(whole)
        return f"{number:,.2f}"
    return str(value)
