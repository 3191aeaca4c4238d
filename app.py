"""borderlens dashboard: navigation, the shared sidebar (kept in the URL) and the Overview page.

Serves ONLY the release named by BORDERLENS_RELEASE. Pages read their context (release, filters) from
st.session_state["borderlens"], which this file sets on every run before the page runs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date

import duckdb
import pandas as pd
import streamlit as st

from data_pipeline import downloads as D
from data_pipeline import embeds as E
from data_pipeline import queries as Q
from data_pipeline import queries_params as P
from data_pipeline.charts import IMAGE_SIZE, chart_image, keyed_colours, spec_of, with_year_axes
from data_pipeline.datasets import DATASET_NAMES
from data_pipeline.queries_overview import DATASET_LABELS, overview
from data_pipeline.queries_transparency import crossings_provenance, provenance
from data_pipeline.session_release import session_release

# Page icons are emoji: Streamlit draws an emoji favicon locally, but fetches a :material/...: one from
# fonts.gstatic.com, and the dashboard must make no request to another server.
st.set_page_config(page_title="borderlens: open border data", page_icon="🧭", layout="wide")

ALL = "all"
PRINT_VALUES = ("true", "false")


@st.cache_data(show_spinner=False, max_entries=16)
def load_meta(release_id: str, release_path: str) -> Q.ReleaseMeta:
    return Q.release_meta(release_path)


@st.cache_data(show_spinner=False, max_entries=16)
def load_options(release_id: str, release_path: str) -> Q.FilterOptions:
    return Q.filter_options(release_path)


@st.cache_data(show_spinner=False, max_entries=256)
def load_overview(release_id: str, release_path: str, filters: Q.Filters, created: str):
    return overview(release_path, filters, created)


@st.cache_data(show_spinner=False, max_entries=16)
def load_files(release_id: str, release_path: str) -> D.ReleaseFiles:
    return D.release_files(release_path)


@st.cache_data(show_spinner=False, max_entries=16)
def load_provenance(release_id: str, release_path: str) -> dict:
    return provenance(release_path)


@st.cache_data(show_spinner=False, max_entries=256)
def load_crossings_provenance(release_id: str, release_path: str, filters: Q.Filters) -> tuple[str, str, bool]:
    return crossings_provenance(release_path, filters)


def _month_start(month: str) -> date:
    return date.fromisoformat(f"{month}-01")


def _month_end(month: str) -> date:
    return (pd.Period(month, freq="M").end_time).date()


def sidebar(options: Q.FilterOptions, embed: bool = False) -> tuple[Q.Filters, list[str]]:
    """The shared filters. Their values live in st.query_params, so they carry across pages and links."""
    borders = options.borders
    border_names = dict(zip(borders["border"], borders["name"]))
    country_names = dict(zip(options.countries["iso3"], options.countries["name"]))
    months = list(options.months)
    shared = [
        P.Param("border", "border", [ALL, *border_names], ALL, "the border"),
        P.Param("countries", "countries", list(country_names), (), "the countries", multi=True),
    ]
    warnings = P.initialise(shared, st.session_state, st.query_params)
    if "period" not in st.session_state and months:
        period, more = P.check_period(months, st.query_params.get("from"), st.query_params.get("to"),
                                      P.default_period(months))
        st.session_state["period"] = period
        warnings += more

    if not embed:  # an embedded view keeps the linked filters but shows no sidebar
        with st.sidebar:
            st.header("Filters", help="These choices apply to every page and are kept in the address bar, "
                                      "so a copied link opens the same view.")
            st.selectbox("Border", [ALL, *border_names], key="border",
                         format_func=lambda b: "All borders" if b == ALL else border_names.get(b, b),
                         help="A pair of neighbouring countries. Crossings count by the two sides; exercise "
                              "notices and projects by the border nearest to them.")
            st.multiselect("Countries", list(country_names), key="countries",
                           format_func=lambda c: f"{country_names.get(c, c)} ({c})", placeholder="All countries",
                           help="Keep only data that involves these countries (either side of a crossing, the "
                                "notifying or a participating state, a project's countries).")
            if months:
                st.select_slider("Period (months)", months, value=P.default_period(months), key="period",
                                 help="Crossings by month, exercises by their dates, projects active in the period.")
    P.publish(shared, st.session_state, st.query_params)
    period = st.session_state.get("period") or ("1900-01", "9999-12")
    for name, value in (("from", period[0]), ("to", period[1])):
        if st.query_params.get(name) != value:
            st.query_params[name] = value

    border = st.session_state["border"]
    filters = Q.Filters(
        border=tuple(border.split("-", 1)) if border != ALL else None,
        countries=tuple(sorted(st.session_state["countries"])),
        date_from=_month_start(period[0]), date_to=_month_end(period[1]),
    )
    return filters, warnings


def describe(filters: Q.Filters, options: Q.FilterOptions) -> str:
    names = dict(zip(options.borders["border"], options.borders["name"]))
    where = names.get("-".join(filters.border), "-".join(filters.border)) if filters.border else "all borders"
    countries = f" · countries {', '.join(filters.countries)}" if filters.countries else ""
    return (f"Showing **{where}**{countries} · {filters.date_from:%b %Y} to {filters.date_to:%b %Y}")


# ---------------------------------------------------------------------------------------------- shared UI parts
# Pages reach these through st.session_state["borderlens"] (nothing imports app.py): a table with its downloads,
# a chart with its summary, data table and images, and the "copy link / cite this view" box.


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


def print_header() -> None:
    """The top of the printable view: the source line and, in one line, the filters and choices."""
    show_source(*DATASET_NAMES)


def describe_plain(filters: Q.Filters, options: Q.FilterOptions) -> str:
    return describe(filters, options).replace("**", "").replace("Showing ", "")


def _provenance(dataset: str) -> tuple[str, str]:
    release = st.session_state["borderlens"]["release"]
    return load_provenance(release.release_id, release.path).get(dataset, ("borderlens", "see About the data"))


def _chart_provenance(dataset: str) -> tuple[str, str, bool]:
    """(publishers, licences, synthetic?) of what a chart of the dataset draws: for crossings, only the
    publishers with figures for the chosen border, countries and period."""
    ctx = st.session_state["borderlens"]
    release = ctx["release"]
    if dataset == "crossings":
        return load_crossings_provenance(release.release_id, release.path, ctx["filters"])
    source, licence = _provenance(dataset)
    return source, licence, dataset in ctx.get("synthetic", ())


def show_table(df: pd.DataFrame, name: str, dataset: str = "", total: int | None = None,
               full: Callable[[], pd.DataFrame] | None = None, source: pd.DataFrame | None = None, **kwargs) -> None:
    """st.dataframe plus downloads (CSV, CSV for Excel, Parquet, GeoJSON, a citation sidecar): of exactly these
    rows and columns (worded numbers as numbers from `source`, the frame df was taken from), or, for a table shown
    one page at a time (total rows in all, `full` builds them all), of the whole table, built on a click."""
    paged = full is not None and total is not None
    if st.session_state["borderlens"].get("print"):
        print_table(df, kwargs.get("column_config"))
        if paged and total > len(df):
            st.caption(f"This page of the table: {len(df):,} of {total:,} rows. All rows are in the page's "
                       "downloads.")
        return
    st.dataframe(df, **kwargs)
    if st.session_state["borderlens"]["embed"] or df.empty:
        return
    release = st.session_state["borderlens"]["release"]
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
    rows = full if paged else (lambda: D.analysis_frame(list(df.columns), df if source is None else source))
    formats.append(("citation", "Citation", f"{name}-citation.txt", "text/plain", "The citation, licence and "
                    "address of this view: the sidecar of the CSV (the Parquet carries them inside)."))
    cols = st.columns(len(formats) + 1, vertical_alignment="center")
    cols[0].caption(f"Download all {total:,} rows of this table:" if paged else f"Download these {len(df):,} rows:")
    for col, (fmt, label, file_name, mime, help_text) in zip(cols[1:], formats):
        col.download_button(label, data=lambda fmt=fmt: D.view_file(rows(), fmt, citation, files.licences),
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
    ctx = st.session_state["borderlens"]
    ui, key = ctx["ui"], f"{prefix}_page"
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


def show_chart(chart, data: pd.DataFrame, title: str, summary: str, name: str, dataset: str,
               columns: list[str] | None = None) -> None:
    """An Altair chart with a one-line summary, its data table, and PNG/SVG images with title and source."""
    ctx = st.session_state["borderlens"]
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
                            data=lambda fmt=fmt: chart_image(keyed_colours(with_year_axes(spec_of(chart)), values,
                                                                           colours),
                                                             fmt, title=heading, source_line=source,
                                                             licence=licence, release_id=release.release_id,
                                                             release_date=release.created, scale=1,
                                                             synthetic=synthetic, size=IMAGE_SIZE),
                            key=f"img-{name}-{fmt}", on_click="ignore", icon=":material/image:")
    with st.expander("Data table"):
        show_table(data[columns] if columns else data, name, dataset, hide_index=True, width="stretch")
    embed_snippet(heading)


def embed_snippet(heading: str) -> None:
    """"Embed this chart": the iframe to paste into a web page, as copyable text; offered once per page, beside
    the view its embed shows (the page's first chart, or its map when the page draws that first)."""
    ctx = st.session_state["borderlens"]
    if ctx["embed"] or ctx.get("print") or ctx.get("embed_offered"):
        return
    ctx["embed_offered"] = True
    st.caption("Embed this chart (or map) in a web page: paste this HTML. The embed shows it with its heading and "
               "source line, and links back to this full view.")
    st.code(E.iframe_snippet(current_url(), heading), language="html", wrap_lines=True)



def map_heading(show: tuple[str, ...], layers: dict[str, str], measure: str) -> str:
    """The map's title for an embed or a snippet: what it draws (the crossings' measure), where and when."""
    drawn = [f"{layers[s]} ({Q.measure_label(measure)})" if s == "crossings" else layers[s] for s in show]
    ctx = st.session_state["borderlens"]
    return E.heading("Map: " + (", ".join(drawn) or "nothing chosen"), describe_plain(ctx["filters"], ctx["options"]))


def embed_heading(text: str) -> None:
    """The heading of an embed: one line, a real heading for screen readers (publisher text in it stays inert)."""
    st.markdown(f"#### {Q.md_escape(text, 300)}")


def embed_source(*datasets: str) -> None:
    """The one-line source of an embed: publishers, licence, release, and a link back to the full view."""
    release = st.session_state["borderlens"]["release"]
    parts = [_chart_provenance(d) for d in datasets]
    publishers = list(dict.fromkeys(name for p in parts for name in p[0].split("; ") if name))
    synthetic = "Synthetic data · " if any(p[2] for p in parts) else ""
    st.caption(f"{synthetic}Source: {Q.md_escape(E.publishers_line(publishers), 300)} · borderlens release "
               f"{release.release_id[:12]} · [Full view ↗]({current_url()})")


def show_source(*datasets: str) -> None:
    """The source line of a view: publishers, licences, release id and date."""
    release = st.session_state["borderlens"]["release"]
    parts = [_provenance(d) for d in datasets]
    sources = "; ".join(dict.fromkeys(p[0] for p in parts))
    licences = "; ".join(dict.fromkeys(p[1] for p in parts))
    st.caption(f"Source: {Q.md_escape(sources, 2000)} · Licence: {Q.md_escape(licences, 2000)} · borderlens "
               f"release {release.release_id} ({release.created})")


def current_url() -> str:
    ctx = st.session_state["borderlens"]
    try:
        address = st.context.url or ""
    except Exception:  # no browser (tests)
        address = ""
    origin = "/".join(address.split("/")[:3]) if "://" in address else ""
    query = {k: v for k, v in st.query_params.to_dict().items() if k != "print"}  # the link opens the usual view
    return D.permalink(f"{origin}/{ctx.get('page_path', '')}", query)


def view_choices() -> str:
    """The filters and the page's choices in one line (as in a citation)."""
    ctx = st.session_state["borderlens"]
    choices = ", ".join(f"{k}={v}" for k, v in st.query_params.to_dict().items()
                        if k not in ("border", "countries", "from", "to", "embed", "print"))
    return describe_plain(ctx["filters"], ctx["options"]) + (f"; {choices}" if choices else "")


def share_view(page_title: str) -> None:
    """Copy link and a citation of the view: page, filters, release id and date, the address."""
    ctx = st.session_state["borderlens"]
    if ctx["embed"]:
        return
    release = ctx["release"]
    files = load_files(release.release_id, release.path)
    url = current_url()
    filters = view_choices()
    st.divider()
    if ctx.get("print"):
        st.caption("Cite this view: " + Q.md_escape(D.cite_view(page_title, filters, release.release_id,
                                                                release.created, url, files.citation), 5000))
        return
    st.subheader("Share and cite this view")
    st.caption("Copy link: this address opens this page with the same filters and choices.")
    st.code(url, language=None)
    st.caption("Cite this view:")
    st.code(D.cite_view(page_title, filters, release.release_id, release.created, url, files.citation),
            language=None, wrap_lines=True)


def banner(release: Q.Release, meta: Q.ReleaseMeta) -> None:
    st.caption(f"Release `{release.release_id[:12]}` · published {release.created or meta.created} · "
               f"serves only this published release")
    synthetic = meta.synthetic_sources
    if len(synthetic):
        per_dataset = synthetic.groupby("dataset")[["files", "synthetic_files"]].first()
        label = DATASET_LABELS.get
        whole = sorted(label(d, d) for d, r in per_dataset.iterrows() if r.synthetic_files == r.files)
        part = sorted(f"{label(d, d)} ({r.synthetic_files} of {r.files} files)" for d, r in per_dataset.iterrows()
                      if r.synthetic_files < r.files)
        words = ([f"{', '.join(whole)}: invented for the demo"] if whole else []) + \
            ([f"partly invented: {', '.join(part)}; the rest is real published data"] if part else [])
        st.warning(f"**Synthetic demo data.** {'; '.join(words)}. The invented figures describe no real event. "
                   "See About for which files are synthetic.")


def synthetic_datasets(meta: Q.ReleaseMeta) -> frozenset[str]:
    """The datasets with any synthetic (demo) file: their charts and embeds say so."""
    rows = meta.synthetic_sources
    return frozenset(rows.loc[rows["synthetic_files"] > 0, "dataset"]) if len(rows) else frozenset()


def _fmt(value) -> str:
    return "–" if value is None or pd.isna(value) else f"{value:,.0f}"


def overview_page() -> None:
    ctx = st.session_state["borderlens"]
    release, filters, options = ctx["release"], ctx["filters"], ctx["options"]
    st.title("Overview")
    if not ctx["embed"]:
        st.markdown("Open data on one screen: people and vehicles crossing borders, military exercises notified "
                    "under the OSCE Vienna Document, and construction along borders.  \n"
                    + describe(filters, options))
    data = load_overview(release.release_id, release.path, filters, release.created)

    st.subheader("Border crossings")
    table = data.crossings
    if table.empty:
        st.info("No crossing figures for this choice of border, countries and period.")
    else:
        ends = data.windows.groupby("latest_month")["reporter"].apply(lambda r: ", ".join(sorted(r)))
        windows = "; ".join(f"{names} to {pd.Timestamp(month):%b %Y}" for month, names in ends.items())
        st.caption(f"Each publisher's latest 12 complete months with figures counted here ({windows}) against its "
                   "12 months before, which may start before the chosen period. A flow both sides count is counted "
                   "once, on the side it enters, so a publisher's months here can end before its own latest "
                   "figures. Withheld figures, and months a publisher left without a figure, are not counted as "
                   "zero: their share is shown. The change compares like with like: only figures published in both "
                   "years (the same crossing point, measure and month).")
        cols = st.columns(3)
        for col, (_, row) in zip(cols, table.head(3).iterrows()):
            delta = None if pd.isna(row["change_pct"]) else f"{row['change_pct']:+.1f}% on a year before"
            col.metric(row["label"].capitalize(), _fmt(row["last_12"]), delta, delta_color="off",
                       help=f"{row['unpublished_share_last']:.0%} of the monthly figures in these 12 months are "
                       f"withheld or missing. Change: {row['change_status']}."
                       if pd.notna(row["unpublished_share_last"]) else None)
        show_table(
            table.assign(change=[f"{c:+.1f}%" if pd.notna(c) else "not comparable" for c in table["change_pct"]])
            [["label", "last_12", "previous_12", "change", "figures_compared", "unpublished_share_last", "reporters"]],
            "overview-crossings", "crossings", hide_index=True, width="stretch", source=table,
            column_config={
                "label": st.column_config.TextColumn("What is counted"),
                "last_12": st.column_config.NumberColumn("Last 12 months", format="localized"),
                "previous_12": st.column_config.NumberColumn("12 months before", format="localized"),
                "change": st.column_config.TextColumn("Change", help="On the figures published in both years "
                                                      "only; not comparable: no such figure"),
                "figures_compared": st.column_config.NumberColumn(
                    "Figures compared", format="localized", help="Monthly figures of the last 12 months published, "
                    "as was the same figure a year before: the change sums these only"),
                "unpublished_share_last": st.column_config.NumberColumn(
                    "Figures withheld or missing", format="percent",
                    help="Share of the monthly figures of the last 12 months not published"),
                "reporters": st.column_config.NumberColumn("Publishers", help="Countries or bodies whose "
                                                           "figures are summed"),
            })

        busiest = data.busiest   # not in an embed, which shows the crossings table alone
        if busiest is not None and len(busiest.table) and not ctx["embed"]:
            st.markdown(f"**Busiest crossing points** ({busiest.measure_label}, each point's last 12 complete months)")
            show_table(busiest.table.head(5)[["rank", "location_name", "trends_link", "window_to", "last_12", "change",
                                              "unpublished_share_last", "rank_status"]],
                       "overview-busiest", "crossings", source=busiest.table.head(5), hide_index=True,
                       width="stretch", column_config={
                           "rank": "Rank", "location_name": "Crossing point",
                           "window_to": st.column_config.DateColumn("12 months to", format="MMM YYYY"),
                           "last_12": st.column_config.NumberColumn("Last 12 months", format="localized"),
                           "change": "Change (like with like)",
                           "unpublished_share_last": st.column_config.NumberColumn("Withheld or missing",
                                                                                   format="percent"),
                           "rank_status": "Rank known?",
                           "trends_link": st.column_config.LinkColumn("Trends", display_text="Open in Trends")})
            st.page_link("pages/ranking.py", label="All crossing points ranked, sortable and downloadable")

    if ctx["embed"]:
        show_source("crossings")
        st.stop()

    st.subheader("Exercise notices")
    n = data.notices
    start, end = data.notice_window
    lead = int(n.get("min_lead_days")) if pd.notna(n.get("min_lead_days")) else None
    st.caption(f"Military activities starting in the 90 days {start:%d %b %Y} – {end:%d %b %Y} (up to the end of "
               "the period, never after the release date). Vienna Document 2011: notice is due "
               + (f"{lead} days before the start (para 38)" if lead else "before the start (para 38)")
               + (f"; observers must be invited from {data.observation_rule}." if data.observation_rule else "."))
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Notices", _fmt(n.get("notices")))
    c2.metric(f"Notified late (< {lead} days)" if lead else "Notified late", _fmt(n.get("late")),
              help=f"{_fmt(n.get('lead_time_unknown'))} more cannot be judged: no published notification date, or "
              "whether para 41 applies (no advance notice to the troops) is withheld.")
    c3.metric("Reached an observation threshold", _fmt(n.get("observation_threshold")),
              help=data.observation_help or None)
    c4.metric("… of which observers not invited", _fmt(n.get("observation_without_invitation")),
              help=data.invitation_help or None)

    st.subheader("Infrastructure projects")
    projects = data.projects
    under_way = int(projects.loc[projects["status"] == "under_construction", "projects"].sum())
    c1, c2 = st.columns([1, 3])
    c1.metric("Under construction", f"{under_way:,}")
    with c2:
        show_table(projects.assign(status=projects["status"].str.replace("_", " ")), "overview-projects",
                   "infrastructure_projects", hide_index=True,
                   column_config={"status": "Status", "projects": st.column_config.NumberColumn("Projects")})

    st.subheader("Freshness")
    st.caption(f"Latest date in each dataset; this release was published {release.created}.")
    show_table(data.freshness[["label", "earliest", "latest", "records", "sources", "synthetic"]],
               "overview-freshness", hide_index=True, width="stretch",
               column_config={"label": "Dataset", "earliest": st.column_config.DateColumn("From"),
                              "latest": st.column_config.DateColumn("Latest"),
                              "records": st.column_config.NumberColumn("Records", format="localized"),
                              "sources": "Source files", "synthetic": "Synthetic"})
    st.subheader("What is withheld")
    withheld = data.withheld.assign(dataset=data.withheld["dataset"].map(DATASET_LABELS).fillna(data.withheld["dataset"]),
                                    field=data.withheld["field"].str.replace("_", " "))
    if withheld.empty:
        st.caption("Every value in this release is published as reported.")
    else:
        st.caption("Values not published as reported (withheld, suppressed or dropped), by dataset, field and "
                   "reason, over the whole release: the filters above do not apply. Places and dates made coarser "
                   "and amounts rounded are counted on the Transparency page.")
        show_table(withheld[["dataset", "field", "label", "n"]], "overview-withheld", hide_index=True,
                   width="stretch", height="content",
                   column_config={"dataset": "Dataset", "field": "Field", "label": "Why",
                                  "n": st.column_config.NumberColumn("Values", format="localized")})
    st.page_link("pages/transparency.py", label="What is withheld, by whom and why")
    share_view("Overview")


def pages() -> list:
    return [
        st.Page(overview_page, title="Overview", default=True),
        st.Page("pages/map.py", title="Map"),
        st.Page("pages/trends.py", title="Crossing trends"),
        st.Page("pages/ranking.py", title="Crossing points ranked"),
        st.Page("pages/notices.py", title="Exercise notices"),
        st.Page("pages/infrastructure.py", title="Infrastructure"),
        st.Page("pages/transparency.py", title="Transparency"),
        st.Page("pages/about.py", title="About the data"),
        st.Page("pages/downloads.py", title="Downloads"),
        st.Page("pages/revisions.py", title="Revisions"),
    ]


@st.cache_resource(show_spinner=False, max_entries=64)
def tell_operator(problems: str) -> bool:
    """The server's log gets each distinct problem once (the operator's alert), not once per visit."""
    print(f"borderlens: the release cannot be read: {problems}", file=sys.stderr, flush=True)
    return True


def maintenance(problems: list[str]) -> None:
    """A truncated or corrupted release: one plain message on every page (the entry script runs first on each),
    no traceback, and no path of the server."""
    tell_operator("; ".join(problems))
    # Every address stays known (a deep link keeps its page) but no page runs, and no links are drawn
    st.navigation(pages(), position="hidden")
    st.title("borderlens")
    st.error(f"This release cannot be read: {Q.md_escape('; '.join(problems), 400)}. The operator has been told; "
             "the dashboard is under maintenance, please come back later.")
    st.stop()


def not_found(asked: str) -> None:
    """An address of no page: say so (never a silent Overview), with a link to every page."""
    st.set_page_config(page_title="Page not found · borderlens")
    st.title("Page not found")
    st.error(f"There is no page “{P.shown(asked, 60)}” in this dashboard. Its pages are:", icon=":material/link_off:")
    for entry in pages():
        st.page_link(entry, label=entry.title)
    st.stop()


def main() -> None:
    try:
        release, new_data = session_release(st.session_state, Q.release_from_env())
    except Q.ReleaseBroken as exc:
        maintenance(exc.problems)
    except Q.ReleaseError as exc:
        st.title("borderlens")
        st.error(str(exc))
        st.stop()
    try:
        meta = load_meta(release.release_id, release.path)
        options = load_options(release.release_id, release.path)
    except duckdb.Error as exc:  # a release published before digests.json, whose database is damaged
        maintenance([f"unreadable: {Q.DB_FILE} ({type(exc).__name__})"])
    try:  # ?embed=true: Streamlit hides its chrome and keeps `embed` out of st.query_params
        embed = bool(st.context.is_embedded)
    except Exception:  # no browser (AppTest)
        embed = False
    # ?print=true: the printable view (no sidebar, no controls, tables whole, source line at top and bottom)
    print_param = [P.Param("print", "print_view", list(PRINT_VALUES), "false", "the print view")]
    print_warnings = P.initialise(print_param, st.session_state, st.query_params)
    printing = st.session_state["print_view"] == "true" and not embed
    filters, warnings = sidebar(options, embed or printing)
    P.publish(print_param, st.session_state, st.query_params)
    if st.query_params.get("print") == "false":  # the default is not written into links
        del st.query_params["print"]
    st.session_state["borderlens"] = {"release": release, "filters": filters, "options": options, "embed": embed,
                                      "print": printing, "synthetic": synthetic_datasets(meta),
                                      "ui": Hidden() if embed else PrintView() if printing else st,
                                      "table": show_table, "chart": show_chart,
                                      "pager_choice": pager_choice, "pager": pager,
                                      "share": share_view, "source": show_source, "embed_source": embed_source,
                                      "embed_snippet": embed_snippet, "map_heading": map_heading,
                                      "heading": embed_heading}
    page = st.navigation(pages(), position="hidden" if embed or printing else "sidebar")
    st.session_state["borderlens"]["page_path"] = page.url_path
    next_page = st.session_state.pop("borderlens_next", None)
    if next_page:  # a deep link reached a page before this entry script had run once (see the pages' guard)
        st.switch_page(next_page, query_params=st.query_params.to_dict())
    try:
        asked = P.unknown_page(st.context.url or "", st.get_option("server.baseUrlPath"), [p.url_path for p in pages()])
    except Exception:  # no browser (AppTest)
        asked = None
    if asked is not None:
        not_found(asked)
    # the browser tab names the page and the view (place, period), so tabs and bookmarks tell views apart
    st.set_page_config(page_title=f"{page.title} · {describe_plain(filters, options)} · borderlens")
    if printing:
        print_header()
        choices = st.empty()  # filled once the page has published its choices
    if not embed:   # an embed shows only its view; its source line names the release
        banner(release, meta)
    if new_data:
        st.info(new_data, icon=":material/update:")
    for warning in print_warnings + warnings:
        st.warning(warning)
    if not printing:
        page.run()
        return
    try:
        page.run()
    finally:  # also when the page stops early (st.stop)
        choices.caption("Printed view of: " + view_choices())
        print_header()


main()
