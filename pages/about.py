"""About the data: sources with licences and synthetic flags, definitions, and the method of every indicator."""

from __future__ import annotations

import streamlit as st

from data_pipeline.queries import MEASURE_LABELS, PEOPLE_LABEL, PEOPLE_MEASURES
from data_pipeline.queries_transparency import about_view

if "borderlens" not in st.session_state:  # opened by a deep link before the entry script ran (first visit)
    st.session_state["borderlens_next"] = "pages/about.py"
    st.switch_page("app.py", query_params=st.query_params.to_dict())


@st.cache_data(show_spinner=False, max_entries=16)
def load(release_id: str, release_path: str):
    return about_view(release_path)


release = st.session_state["borderlens"]["release"]
view = load(release.release_id, release.path)

st.title("About the data")
st.markdown("borderlens gathers open border data published by states, international organisations and NGOs, "
            "normalises it, keeps every record's source, applies a published redaction policy and publishes a "
            "release. This dashboard shows only that release "
            f"(`{release.release_id[:12]}`, {release.created}).")

st.subheader("Sources")
sources = view.sources
if sources["synthetic"].any():
    st.warning("Files marked **synthetic** were invented for the demo: they describe no real crossing, exercise or "
               "project.", icon=":material/science:")
st.session_state["borderlens"]["table"](sources[["dataset_label", "publisher", "title", "file_name", "version",
                                                  "licence", "url", "synthetic", "rows_loaded", "rows_quarantined",
                                                  "source_id", "sha256"]], "sources",
             hide_index=True, width="stretch",
             column_config={"dataset_label": "Dataset", "publisher": "Publisher", "title": "Title",
                            "file_name": "File", "version": "Version", "licence": "Licence",
                            "url": st.column_config.TextColumn("Address"), "synthetic": "Synthetic",
                            "rows_loaded": st.column_config.NumberColumn("Records", format="localized"),
                            "rows_quarantined": st.column_config.NumberColumn(
                                "Set aside", help="Rows that failed validation; the operator can list them"),
                            "source_id": "Source id",
                            "sha256": st.column_config.TextColumn(
                                "SHA-256", help="Of the file, only when it is public as a whole: a hash of a file "
                                                "that held a withheld value would let anyone confirm a guess")})

st.subheader("Definitions")
st.markdown(
    "- **Crossing figure**: a count per crossing point, period (month) and measure, as the reporting country "
    "publishes it. *Inbound* counts people or vehicles entering the reporting country; *outbound* leaving it.\n"
    "- **Reporter**: the country or body that published a figure. Two neighbours often count the same flow.\n"
    f"- **People, all modes**: the sum of {', '.join(MEASURE_LABELS[m] for m in PEOPLE_MEASURES)}.\n"
    "- **Exercise notice**: a published notification of a military activity under the OSCE Vienna Document 2011.\n"
    "- **Lead time**: days from the notification to the start of the activity.\n"
    "- **Distance to border**: kilometres from a place (or the nearest edge of an area) to the nearest "
    "international land border in Natural Earth 1:10m, measured on the WGS84 ellipsoid.\n"
    "- **Withheld**: not published as reported, by the publisher or by the policy; see Transparency.")

st.subheader("How each indicator is computed")
st.markdown(
    "- **Crossings, last 12 months vs the 12 before** (Overview; per crossing point on the ranking): for each "
    "publisher (each crossing point), the sum of its monthly figures in its latest 12 complete months with "
    "figures (up to the end of the chosen period) and in the 12 months before; then summed over publishers. "
    "The change sums only the figures published in both years (the same crossing point, measure, direction and "
    "month a year apart). Withheld and missing figures are not summed (they are unknown) and their share is "
    "shown beside the totals.\n"
    "- **Missing figure**: a month in which a publisher gave no figure for a crossing point, measure and "
    "direction it gives in other months of the selection (and the other side gave none for the same flow): "
    "counted as missing, never as 0.\n"
    "- **Double counting**: where one country's outbound figure and its neighbour's inbound figure describe the "
    "same flow (same crossing point, month and measure), totals use the inbound figure only; the Trends page "
    "compares the two as mirror statistics.\n"
    "- **Year-over-year change**: in per cent, the figures of a month, quarter or year that are published "
    "against the same figures (crossing point, measure, direction, publisher) twelve months earlier, also "
    "published. A quarter or year with some months only is compared over those months of both years.\n"
    "- **Withheld share** (withheld or missing): withheld and missing figures divided by all figures expected in "
    "a period (a count of figures, not of people).\n"
    "- **Mirror gap**: the inbound figure minus the neighbour's outbound figure, month by month; the share is "
    "the gap divided by the mean of the two.\n"
    "- **Late notice**: lead time below the paragraph 38 minimum. A notice without a published notification "
    "date is counted as unknown, not as late.\n"
    "- **Notification / observation threshold reached**: any one announced number at or above a threshold of "
    "paragraphs 40.1.1, 40.1.2 and 40.2 (notification) or 47.4 (observation); the airborne and amphibious "
    "thresholds apply only to such activities. A withheld number is never taken as below a threshold.\n"
    "- **Chapter VIII**: per notifying state and calendar year, activities above the paragraph 67, 68, 68.1 and "
    "69 numbers (“more than”), against their limits; 67 counts the three calendar years ending in the year, "
    "69 the most such activities under way on one day. Only notices in this release are counted.\n"
    "- **Projects under way**: status *under construction* as the publisher gives it.")

st.subheader("Vienna Document 2011 thresholds used")
st.session_state["borderlens"]["table"](
    view.thresholds[["paragraph", "metric", "operator", "value", "applies_to", "description"]], "vd-thresholds",
             hide_index=True, width="stretch",
             column_config={"paragraph": "Para", "metric": "Number", "operator": "Test",
                            "value": st.column_config.NumberColumn("Threshold", format="localized"),
                            "applies_to": "Used for", "description": "In words"})
st.caption("OSCE, Vienna Document 2011 on Confidence- and Security-Building Measures (FSC.DOC/1/11). "
           "Countries are ISO 3166-1 alpha-3 codes; Kosovo uses the user-assigned code XKX. "
           f"Measures: {PEOPLE_LABEL}; " + ", ".join(sorted(MEASURE_LABELS.values())) + ".")
st.session_state["borderlens"]["share"]("About the data")
