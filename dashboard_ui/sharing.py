"""Where a view comes from and how to pass it on: source lines, the view's address, "share and cite this view",
embeds (heading, source line, iframe snippet)."""

from __future__ import annotations

import streamlit as st

from dashboard_ui.loading import load_crossings_provenance, load_files, load_provenance
from dashboard_ui.session import context
from dashboard_ui.sidebar import describe_plain
from data_pipeline.datasets import DATASET_NAMES
from data_pipeline.views import downloads as D
from data_pipeline.views import embeds as E
from data_pipeline.views import queries as Q


def _provenance(dataset: str) -> tuple[str, str]:
    release = context()["release"]
    return load_provenance(release.release_id, release.path).get(dataset, ("borderlens", "see About the data"))


def _chart_provenance(dataset: str) -> tuple[str, str, bool]:
    """(publishers, licences, synthetic?) of what a chart of the dataset draws: for crossings, only the
    publishers with figures for the chosen border, countries and period."""
    ctx = context()
    release = ctx["release"]
    if dataset == "crossings":
        return load_crossings_provenance(release.release_id, release.path, ctx["filters"])
    source, licence = _provenance(dataset)
    return source, licence, dataset in ctx.get("synthetic", ())


def embed_snippet(heading: str) -> None:
    """"Embed this chart": the iframe to paste into a web page, as copyable text; offered once per page, beside
    the view its embed shows (the page's first chart, or its map when the page draws that first)."""
    ctx = context()
    if ctx["embed"] or ctx.get("print") or ctx.get("embed_offered"):
        return
    ctx["embed_offered"] = True
    st.caption("Embed this chart (or map) in a web page: paste this HTML. The embed shows it with its heading and "
               "source line, and links back to this full view.")
    st.code(E.iframe_snippet(current_url(), heading), language="html", wrap_lines=True)


def map_heading(show: tuple[str, ...], layers: dict[str, str], measure: str) -> str:
    """The map's title for an embed or a snippet: what it draws (the crossings' measure), where and when."""
    drawn = [f"{layers[s]} ({Q.measure_label(measure)})" if s == "crossings" else layers[s] for s in show]
    ctx = context()
    return E.heading("Map: " + (", ".join(drawn) or "nothing chosen"), describe_plain(ctx["filters"], ctx["options"]))


def embed_heading(text: str) -> None:
    """The heading of an embed: one line, a real heading for screen readers (publisher text in it stays inert)."""
    st.markdown(f"#### {Q.md_escape(text, 300)}")


def embed_source(*datasets: str) -> None:
    """The one-line source of an embed: publishers, licence, release, and a link back to the full view."""
    release = context()["release"]
    parts = [_chart_provenance(d) for d in datasets]
    publishers = list(dict.fromkeys(name for p in parts for name in p[0].split("; ") if name))
    synthetic = "Synthetic data · " if any(p[2] for p in parts) else ""
    st.caption(f"{synthetic}Source: {Q.md_escape(E.publishers_line(publishers), 300)} · borderlens release "
               f"{release.release_id[:12]} · [Full view ↗]({current_url()})")
    context()["source_shown"] = True


# The datasets of a page that has no embedded view of its own: its embed's source line names their publishers (a
# page not named here, such as About or Downloads, names every dataset of the release).
PAGE_DATASETS = {"ranking": ("crossings",), "trends": ("crossings",), "breakdown": ("crossings",),
                 "notices": ("exercise_notices",), "infrastructure": ("infrastructure_projects",)}


def source_if_missing(page_path: str) -> None:
    """An embed of a page that wrote no source line gets one after it: docs/sharing.md promises one on every
    page's embedded view (the Ranking, a notice, About... had none)."""
    ctx = context()
    if not ctx["embed"] or ctx.get("source_shown"):
        return
    release = ctx["release"]
    embed_source(*(PAGE_DATASETS.get(page_path) or tuple(load_provenance(release.release_id, release.path))))


def show_source(*datasets: str) -> None:
    """The source line of a view: publishers, licences, release id and date."""
    release = context()["release"]
    parts = [_provenance(d) for d in datasets]
    sources = "; ".join(dict.fromkeys(p[0] for p in parts))
    licences = "; ".join(dict.fromkeys(p[1] for p in parts))
    st.caption(f"Source: {Q.md_escape(sources, 2000)} · Licence: {Q.md_escape(licences, 2000)} · borderlens "
               f"release {release.release_id} ({release.created})")
    context()["source_shown"] = True


def current_url() -> str:
    ctx = context()
    try:
        address = st.context.url or ""
    except Exception:  # no browser (tests)
        address = ""
    origin = "/".join(address.split("/")[:3]) if "://" in address else ""
    query = {k: v for k, v in st.query_params.to_dict().items() if k != "print"}  # the link opens the usual view
    return D.permalink(f"{origin}/{ctx.get('page_path', '')}", query)


def view_choices() -> str:
    """The filters and the page's choices in one line (as in a citation)."""
    ctx = context()
    choices = ", ".join(f"{k}={v}" for k, v in st.query_params.to_dict().items()
                        if k not in ("border", "countries", "from", "to", "embed", "print"))
    return describe_plain(ctx["filters"], ctx["options"]) + (f"; {choices}" if choices else "")


def share_view(page_title: str) -> None:
    """Copy link and a citation of the view: page, filters, release id and date, the address."""
    ctx = context()
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


def print_header() -> None:
    """The top of the printable view: the source line and, in one line, the filters and choices."""
    show_source(*DATASET_NAMES)
