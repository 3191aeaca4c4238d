"""Downloads: the release's full extracts (prebuilt at publish), its data dictionary, licence and citation."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard_ui.session import surface
from dashboard_ui.sharing import share_view
from dashboard_ui.tables import show_table
from data_pipeline.views import downloads as D
from data_pipeline.views.queries_overview import DATASET_LABELS

if "borderlens" not in st.session_state:  # opened by a deep link before the entry script ran (first visit)
    st.session_state["borderlens_next"] = "pages/downloads.py"
    st.switch_page("app.py", query_params=st.query_params.to_dict())


@st.cache_data(show_spinner=False, max_entries=16)
def load(release_id: str, release_path: str, limit: int, files_url: str | None) -> D.ReleaseFiles:
    """The release's files; the limit and the file server's address (the server's settings) are in the key."""
    return D.release_files(release_path)


ctx = st.session_state["borderlens"]
release = ctx["release"]
ui = surface()  # st; nothing drawn for controls in an embedded or printed view
files = load(release.release_id, release.path, D.app_download_limit(), D.release_files_url())

st.title("Downloads")
st.markdown("The whole public release, as published: every row of each dataset, with the policy's redactions "
            "applied. These files were built once when the release was published; they are the same for every "
            "visitor. To download only what a page shows, use the download buttons under its tables.")
st.caption(f"Release `{release.release_id}` · published {release.created}")

st.subheader("Full extracts")
st.caption("CSV opens in a spreadsheet (formula-like text gets a leading apostrophe); Parquet keeps types and the "
           "exact text; GeoJSON opens in QGIS or on a web map. The three formats hold the same rows.")
for dataset, rows in files.extracts.groupby("dataset", sort=True):
    count = rows["rows"].iloc[0]
    st.markdown(f"**{DATASET_LABELS.get(dataset, dataset)}**" + (f" · {int(count):,} rows" if pd.notna(count) else ""))
    cols = ui.columns(4)
    for col, row in zip(cols, rows.itertuples()):
        label = f"{row.format.upper()} ({D.size_words(row.size)})"
        if row.in_app:
            col.download_button(label, data=lambda p=row.path: D.read_file(p), file_name=row.file_name,
                                mime=row.mime, key=f"extract-{row.file_name}", on_click="ignore",
                                icon=":material/download:")
        elif row.url:
            col.link_button(label, row.url, icon=":material/download:")
        else:
            col.caption(f"{label}: too large to send from here")
large = files.extracts[~files.extracts["in_app"].astype(bool)]
if len(large):
    where = ("The buttons of the larger files fetch them from the release's file server." if large["url"].notna().all()
             else "Ask the operator of this dashboard for them, or take the Parquet file, which holds the same rows "
                  "in less space.")
    st.caption(f"Files over {D.size_words(D.app_download_limit())} are not sent by the dashboard itself (each would "
               f"be held whole in the server's memory while it is downloaded): they are part of the published "
               f"release all the same. {where}")

st.subheader("Licence and citation")
st.markdown("The data keep their publishers' licences; name the original publisher of the figures you use "
            "(see About the data). Cite the release: its id and date pin the exact figures.")
st.text(f"Licences: {files.licences}")
st.code(files.citation, language=None, wrap_lines=True)

st.subheader("Data dictionary")
st.caption("From datapackage.json (Frictionless Data Package): every column of every extract, its type and meaning.")
show_table(files.dictionary, "data-dictionary", hide_index=True, width="stretch",
             column_config={"dataset": "Dataset", "column": "Column", "type": "Type",
                            "description": st.column_config.TextColumn("Meaning", width="large")})
if not files.codes.empty:
    st.markdown("**Codes of the dimension columns**")
    st.caption("Each `dimension_…` column holds codes as the publisher gave them; here is what each means, as "
               "datapackage.json lists it (the column's `categories`). A label that stands for several codes "
               "carries the code; a code kept as published without a code list has no label.")
    show_table(files.codes, "dimension-codes", hide_index=True, width="stretch",
               column_config={"dataset": "Dataset", "column": "Column", "code": "Code", "label": "Label"})
package = f"{release.path}/datapackage.json"
ui.download_button("datapackage.json", data=lambda: D.read_file(package), file_name="datapackage.json",
                   mime="application/json", key="datapackage", on_click="ignore", icon=":material/download:")
if files.feed:
    st.subheader("Change feed")
    st.markdown("`feed.atom` lists the sources new in this release and the published figures they revised; "
                "subscribe to it in a feed reader. The Revisions page shows the same revisions as a table.")
    ui.download_button("feed.atom", data=lambda: D.read_file(files.feed), file_name="feed.atom",
                       mime=D.MIME["atom"], key="feed", on_click="ignore", icon=":material/rss_feed:")
share_view("Downloads")
