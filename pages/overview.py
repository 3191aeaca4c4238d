"""Overview: the headline numbers of crossings, exercise notices and infrastructure projects for the chosen border,
countries and period, the freshness of each dataset, and what the release withholds. The default page (/)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard_ui.frame import end_page
from dashboard_ui.sharing import share_view, show_source
from dashboard_ui.sidebar import describe
from dashboard_ui.tables import show_table
from data_pipeline.views import queries as Q
from data_pipeline.views.queries_overview import DATASET_LABELS, overview

if "borderlens" not in st.session_state:  # opened by a deep link before the entry script ran (first visit)
    st.session_state["borderlens_next"] = "pages/overview.py"
    st.switch_page("app.py", query_params=st.query_params.to_dict())


def _fmt(value) -> str:
    return "–" if value is None or pd.isna(value) else f"{value:,.0f}"


@st.cache_data(show_spinner=False, max_entries=256)
def load(release_id: str, release_path: str, filters: Q.Filters, created: str):
    return overview(release_path, filters, created)


ctx = st.session_state["borderlens"]
release, filters, options = ctx["release"], ctx["filters"], ctx["options"]
st.title("Overview")
if not ctx["embed"]:
    st.markdown("Open data on one screen: people and vehicles crossing borders, military exercises notified "
                "under the OSCE Vienna Document, and construction along borders.  \n"
                + describe(filters, options))
data = load(release.release_id, release.path, filters, release.created)

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
    end_page()

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
