"""What frames every page: the release banner (synthetic data named), and the pages shown instead of any when the
release cannot be read or the address names no page."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import streamlit as st

from data_pipeline.views import queries as Q
from data_pipeline.views import queries_params as P
from data_pipeline.views.queries_overview import DATASET_LABELS


class PageEnded(Exception):
    """A page has shown all it has for this view (an empty selection, an embed's one view)."""


_frame = threading.local()   # Streamlit runs each session's script in a thread of its own


@contextmanager
def page_frame() -> Iterator[None]:
    """Around the chosen page's run (app.py): end_page() inside ends the page, not the whole run, so that what
    app.py writes after the page (a printed view's closing lines) is still written; st.stop() would end it all."""
    _frame.depth = getattr(_frame, "depth", 0) + 1
    try:
        yield
    except PageEnded:
        pass
    finally:
        _frame.depth -= 1


def end_page() -> NoReturn:
    """End the page here (pages call this, not st.stop()). A page run without app.py around it (AppTest, or a
    first visit that goes on to app.py) stops the run as st.stop() does."""
    if getattr(_frame, "depth", 0):
        raise PageEnded
    st.stop()


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


@st.cache_resource(show_spinner=False, max_entries=64)
def tell_operator(problems: str) -> bool:
    """The server's log gets each distinct problem once (the operator's alert), not once per visit."""
    print(f"borderlens: the release cannot be read: {problems}", file=sys.stderr, flush=True)
    return True


def maintenance(problems: list[str], pages: list) -> None:
    """A truncated or corrupted release: one plain message on every page (the entry script runs first on each),
    no traceback, and no path of the server."""
    tell_operator("; ".join(problems))
    # Every address stays known (a deep link keeps its page) but no page runs, and no links are drawn
    st.navigation(pages, position="hidden")
    st.title("borderlens")
    st.error(f"This release cannot be read: {Q.md_escape('; '.join(problems), 400)}. The operator has been told; "
             "the dashboard is under maintenance, please come back later.")
    st.stop()


def not_found(asked: str, pages: list) -> None:
    """An address of no page: say so (never a silent Overview), with a link to every page."""
    st.set_page_config(page_title="Page not found · borderlens")
    st.title("Page not found")
    st.error(f"There is no page “{P.shown(asked, 60)}” in this dashboard. Its pages are:", icon=":material/link_off:")
    for entry in pages:
        st.page_link(entry, label=entry.title)
    st.stop()
