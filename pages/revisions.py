"""Revisions: published figures a publisher later changed, old value beside new, per dataset; the change feed."""

from __future__ import annotations

import streamlit as st

from dashboard_ui.session import surface
from dashboard_ui.sharing import share_view
from dashboard_ui.tables import show_table
from data_pipeline.views import downloads as D
from data_pipeline.views import queries_params as P
from data_pipeline.datasets import DATASET_NAMES
from data_pipeline.views.queries_overview import DATASET_LABELS
from data_pipeline.views.queries_transparency import revisions_view

if "borderlens" not in st.session_state:  # opened by a deep link before the entry script ran (first visit)
    st.session_state["borderlens_next"] = "pages/revisions.py"
    st.switch_page("app.py", query_params=st.query_params.to_dict())

ALL = "all"
DATASETS = list(DATASET_NAMES)


@st.cache_data(show_spinner=False, max_entries=32)
def load(release_id: str, release_path: str, dataset: str):
    return revisions_view(release_path, None if dataset == ALL else dataset)


@st.cache_data(show_spinner=False, max_entries=16)
def load_files(release_id: str, release_path: str) -> D.ReleaseFiles:
    return D.release_files(release_path)


ctx = st.session_state["borderlens"]
release = ctx["release"]
ui = surface()  # st; nothing drawn for controls in an embedded or printed view
params = [P.Param("dataset", "revisions_dataset", [ALL, *DATASETS], ALL, "the dataset")]
for warning in P.initialise(params, st.session_state, st.query_params):
    st.warning(warning, icon=":material/link_off:")

st.title("Revisions")
st.markdown("When a publisher re-publishes a file and changes figures it published before, the release records "
            "each change: the old value beside the new one, with both versions of the source. A quiet revision of "
            "old figures is itself a story. Only values the policy publishes are listed.")
ui.selectbox("Dataset", [ALL, *DATASETS], key="revisions_dataset",
             format_func=lambda d: "All datasets" if d == ALL else DATASET_LABELS.get(d, d))
P.publish(params, st.session_state, st.query_params)

view = load(release.release_id, release.path, st.session_state["revisions_dataset"])
rows = view.revisions
if rows.empty:
    st.info("No published figure was revised in this release for this choice.")
else:
    st.caption(f"{len(rows):,} revised values.")
    show_table(rows, "revisions", hide_index=True, width="stretch",
                 column_config={"dataset_label": "Dataset", "record_key": "Record", "field": "Field",
                                "old_value": "Old value", "new_value": "New value", "old_status": "Old status",
                                "new_status": "New status", "old_source_id": "Old source",
                                "new_source_id": "New source", "old_version": "Old version",
                                "new_version": "New version"})

files = load_files(release.release_id, release.path)
st.subheader("Change feed: feed.atom")
st.markdown("The release's Atom feed has one entry per source new in this release and one per batch of "
            "revisions (each changed value, old beside new, with the versions). Entry ids are stable per release "
            "and source; entry dates are the publish date. Add the file's address on this site to a feed reader, "
            "or download it.")
if files.feed:
    ui.download_button("feed.atom", data=lambda: D.read_file(files.feed), file_name="feed.atom",
                       mime=D.MIME["atom"], key="revisions-feed", on_click="ignore", icon=":material/rss_feed:")
else:
    st.caption("This release has no feed.atom.")
share_view("Revisions")
