"""borderlens dashboard, the entry script: page configuration, the navigation between pages (pages/*.py, the
Overview at /), the shared sidebar (kept in the URL), the release banner, and the print and embed views.

Serves ONLY the release named by BORDERLENS_RELEASE. Before the page runs, this file sets the page context of the
session (release, filters, view) in st.session_state["borderlens"]; the pages draw with dashboard_ui's widgets.
"""

from __future__ import annotations

import duckdb
import streamlit as st

from dashboard_ui.collector import freeze_start_up_objects
from dashboard_ui.frame import banner, maintenance, not_found, page_frame, synthetic_datasets
from dashboard_ui.loading import load_meta, load_options
from dashboard_ui.sharing import print_header, source_if_missing, view_choices
from dashboard_ui.sidebar import describe_plain, sidebar
from data_pipeline.views import queries as Q
from data_pipeline.views import queries_params as P
from data_pipeline.views.session_release import session_release

# Page icons are emoji: Streamlit draws an emoji favicon locally, but fetches a :material/...: one from
# fonts.gstatic.com, and the dashboard must make no request to another server.
st.set_page_config(page_title="borderlens: open border data", page_icon="🧭", layout="wide")

PRINT_VALUES = ("true", "false")


def pages() -> list:
    return [
        st.Page("pages/overview.py", title="Overview", default=True),
        st.Page("pages/map.py", title="Map"),
        st.Page("pages/trends.py", title="Crossing trends"),
        st.Page("pages/ranking.py", title="Crossing points ranked"),
        st.Page("pages/breakdown.py", title="Breakdown"),
        st.Page("pages/notices.py", title="Exercise notices"),
        st.Page("pages/infrastructure.py", title="Infrastructure"),
        st.Page("pages/transparency.py", title="Transparency"),
        st.Page("pages/about.py", title="About the data"),
        st.Page("pages/downloads.py", title="Downloads"),
        st.Page("pages/revisions.py", title="Revisions"),
    ]


def main() -> None:
    try:
        release, new_data = session_release(st.session_state, Q.release_from_env())
    except Q.ReleaseBroken as exc:
        maintenance(exc.problems, pages())
    except Q.ReleaseError as exc:
        st.title("borderlens")
        st.error(str(exc))
        st.stop()
    try:
        meta = load_meta(release.release_id, release.path)
        options = load_options(release.release_id, release.path)
    except duckdb.Error as exc:  # a release published before digests.json, whose database is damaged
        maintenance([f"unreadable: {Q.DB_FILE} ({type(exc).__name__})"], pages())
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
    # per-session data only: the pages import their widgets from dashboard_ui
    st.session_state["borderlens"] = {"release": release, "filters": filters, "options": options, "embed": embed,
                                      "print": printing, "synthetic": synthetic_datasets(meta)}
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
        not_found(asked, pages())
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
    try:
        with page_frame():   # a page that ends early (dashboard_ui.frame.end_page) ends only itself
            page.run()
        source_if_missing(page.url_path)   # an embed always ends with its source line
    finally:
        if printing:   # also when the page ended early
            choices.caption("Printed view of: " + view_choices())
            print_header()
        freeze_start_up_objects()   # once per process, after its first page view


main()
