"""A table with its downloads (CSV, CSV for Excel, Parquet, GeoJSON, citation), and the pager of a table shown one
page at a time."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard_ui.loading import load_files
from dashboard_ui.print_view import print_table
from dashboard_ui.session import context, surface
from dashboard_ui.sharing import current_url
from data_pipeline.views import downloads as D
from data_pipeline.views import queries as Q
from data_pipeline.views import queries_params as P


def show_table(df: pd.DataFrame, name: str, dataset: str = "", total: int | None = None,
               full: Callable[[], pd.DataFrame] | None = None, source: pd.DataFrame | None = None, **kwargs) -> None:
    """st.dataframe plus downloads (CSV, CSV for Excel, Parquet, GeoJSON, a citation sidecar): of exactly these
    rows and columns (worded numbers as numbers from `source`, the frame df was taken from), or, for a table shown
    one page at a time (total rows in all, `full` builds them all), of the whole table, built on a click."""
    paged = full is not None and total is not None
    if context().get("print"):
        print_table(df, kwargs.get("column_config"))
        if paged and total is not None and total > len(df):
            st.caption(f"This page of the table: {len(df):,} of {total:,} rows. All rows are in the page's "
                       "downloads.")
        return
    st.dataframe(df, **kwargs)
    if context()["embed"] or df.empty:
        return
    release = context()["release"]
    files = load_files(release.release_id, release.path)
    citation = f"{files.citation} View: {current_url()}"
    whole = f"All {total:,} rows (every page of the table). " if paged else ""
    formats = [("csv", "CSV", f"{name}.csv", "text/csv", f"{whole}Safe for spreadsheets: formula-like text gets a "
                "leading apostrophe; UTF-8 without BOM."),
               ("csv-excel", "CSV for Excel", f"{name}-excel.csv", "text/csv", f"{whole}The same CSV with a UTF-8 "
                "byte-order mark, so Excel shows accents and other scripts correctly."),
               ("parquet", "Parquet", f"{name}.parquet", D.MIME["parquet"], f"{whole}Types and exact text kept; "
                "citation and licence in the file metadata.")]
    if D.has_geometry(df):
        formats.append(("geojson", "GeoJSON", f"{name}.geojson", D.MIME["geojson"], f"{whole}RFC 7946, WGS84."))
    rows: Callable[[], pd.DataFrame] = (full if full is not None and paged else
                                        lambda: D.analysis_frame(list(df.columns), df if source is None else source))
    formats.append(("citation", "Citation", f"{name}-citation.txt", "text/plain", "The citation, licence and "
                    "address of this view: the sidecar of the CSV (the Parquet carries them inside)."))
    cols = st.columns(len(formats) + 1, vertical_alignment="center")
    cols[0].caption(f"Download all {total:,} rows of this table:" if paged else f"Download these {len(df):,} rows:")
    for col, (fmt, label, file_name, mime, help_text) in zip(cols[1:], formats):
        col.download_button(label, data=lambda fmt=fmt: D.view_file(rows(), fmt, citation, files.licences),  # type: ignore[misc]
                            file_name=file_name, mime=mime, key=f"dl-{name}-{fmt}", on_click="ignore",
                            icon=":material/download:", help=help_text)
    # publisher names and titles come from profiles and sidecar files: inert in markdown
    st.caption(f"Licence: {Q.md_escape(files.licences, 2000)}. Cite: {Q.md_escape(files.citation, 2000)}")


def pager_choice(prefix: str, sorts: dict[str, str], default_sort: str) -> tuple[int, str, int, list[str]]:
    """The page number, order and rows per page of a table shown one page at a time, from the widgets' state or,
    on a first visit, from the URL (`page`, `sort`, `rows`); a bad URL value falls back with a warning."""
    params = _pager_params(prefix, sorts, default_sort)[:2]   # the page number is checked here, below
    warnings = P.initialise(params, st.session_state, st.query_params)
    if f"{prefix}_page" not in st.session_state:
        st.session_state[f"{prefix}_page"], warning = P.check_page(st.query_params.get("page"), "the table page")
        warnings += [warning] if warning else []
    return (int(st.session_state[f"{prefix}_page"]), st.session_state[f"{prefix}_sort"],
            int(st.session_state[f"{prefix}_rows"]), warnings)


def _pager_params(prefix: str, sorts: dict[str, str], default_sort: str) -> list[P.Param]:
    # Defaults are left out of the URL (page 1, the default order, the default rows per page).
    return [P.Param("sort", f"{prefix}_sort", list(sorts), default_sort, "the order of the table",
                    to_url=lambda v: "" if v == default_sort else v),
            P.Param("rows", f"{prefix}_rows", [str(n) for n in Q.PAGE_SIZES], Q.DEFAULT_PAGE_SIZE,
                    "the rows per page", to_state=int, to_url=lambda v: "" if v == Q.DEFAULT_PAGE_SIZE else str(v)),
            P.Param("page", f"{prefix}_page", [], 1, "the table page", to_url=lambda v: "" if v == 1 else str(v))]


def pager(prefix: str, paging: Q.Paging, sorts: dict[str, str], default_sort: str, what: str = "rows") -> None:
    """Order, rows per page and page number of a table shown one page at a time, and "rows X–Y of N" in words;
    the choices go into the URL. (Draws through `ui`, so an embedded or printed view has no controls.)"""
    ui, key = surface(), f"{prefix}_page"
    asked = int(st.session_state.get(key, 1))
    if asked != paging.page:
        st.warning(f"There is no page {asked:,} of this table (it has {paging.pages:,}); showing page "
                   f"{paging.page:,}.", icon=":material/link_off:")
    st.session_state[key] = paging.page

    def first_page() -> None:
        st.session_state[key] = 1

    c1, c2, c3 = ui.columns([3, 1, 1], vertical_alignment="bottom")
    c1.selectbox("Order", list(sorts), key=f"{prefix}_sort", format_func=sorts.get, on_change=first_page)
    c2.selectbox("Rows per page", list(Q.PAGE_SIZES), key=f"{prefix}_rows", on_change=first_page)
    c3.number_input("Page", min_value=1, max_value=paging.pages, step=1, key=key,
                    help=f"{paging.pages:,} pages of {paging.size:,} rows")
    P.publish(_pager_params(prefix, sorts, default_sort), st.session_state, st.query_params)
    ui.caption(f"Showing {paging.words(what)}.")
