"""borderlens dashboard: navigation, the shared sidebar (kept in the URL) and the Overview page.

Serves ONLY the release named by BORDERLENS_RELEASE. Pages read their context (release, filters) from
st.session_state["borderlens"], which this file sets on every run before the page runs.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from data_pipeline import queries as Q
from data_pipeline import queries_params as P
from data_pipeline.queries_overview import DATASET_LABELS, overview

# Page icons are emoji: Streamlit draws an emoji favicon locally, but fetches a :material/...: one from
# fonts.gstatic.com, and the dashboard must make no request to another server.
st.set_page_config(page_title="borderlens: open border data", page_icon="🧭", layout="wide")

ALL = "all"


@st.cache_data(show_spinner=False, max_entries=16)
def load_meta(release_id: str, release_path: str) -> Q.ReleaseMeta:
    return Q.release_meta(release_path)


@st.cache_data(show_spinner=False, max_entries=16)
def load_options(release_id: str, release_path: str) -> Q.FilterOptions:
    return Q.filter_options(release_path)


@st.cache_data(show_spinner=False, max_entries=256)
def load_overview(release_id: str, release_path: str, filters: Q.Filters, created: str):
    return overview(release_path, filters, created)


def _month_start(month: str) -> date:
    return date.fromisoformat(f"{month}-01")


def _month_end(month: str) -> date:
    return (pd.Period(month, freq="M").end_time).date()


def sidebar(options: Q.FilterOptions) -> tuple[Q.Filters, list[str]]:
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
                                      (months[0], months[-1]))
        st.session_state["period"] = period
        warnings += more

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
            st.select_slider("Period (months)", months, value=(months[0], months[-1]), key="period",
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


def banner(release: Q.Release, meta: Q.ReleaseMeta) -> None:
    st.caption(f"Release `{release.release_id[:12]}` · published {release.created or meta.created} · "
               f"serves only this published release")
    synthetic = meta.synthetic_sources
    if len(synthetic):
        datasets = ", ".join(sorted({DATASET_LABELS.get(d, d) for d in synthetic["dataset"]}))
        st.warning(f"**Synthetic demo data.** {datasets}: these figures were invented for the demo and describe "
                   f"no real event. See About for which files are synthetic.")


def _fmt(value) -> str:
    return "–" if value is None or pd.isna(value) else f"{value:,.0f}"


def overview_page() -> None:
    ctx = st.session_state["borderlens"]
    release, filters, options = ctx["release"], ctx["filters"], ctx["options"]
    st.title("Overview")
    st.markdown("Open data on one screen: people and vehicles crossing borders, military exercises notified "
                "under the OSCE Vienna Document, and construction along borders.  \n" + describe(filters, options))
    data = load_overview(release.release_id, release.path, filters, release.created)

    st.subheader("Border crossings")
    table = data.crossings
    if table.empty:
        st.info("No crossing figures for this choice of border, countries and period.")
    else:
        ends = data.windows.groupby("latest_month")["reporter"].apply(lambda r: ", ".join(sorted(r)))
        windows = "; ".join(f"{names} to {pd.Timestamp(month):%b %Y}" for month, names in ends.items())
        st.caption(f"Each publisher's latest 12 months with figures ({windows}) against its 12 months before. "
                   "Withheld figures are not counted as zero: their share is shown. The change counts only "
                   "publishers with figures for as many months in both periods.")
        cols = st.columns(3)
        for col, (_, row) in zip(cols, table.head(3).iterrows()):
            delta = None if pd.isna(row["change_pct"]) else f"{row['change_pct']:+.1f}% on the 12 months before"
            col.metric(row["label"].capitalize(), _fmt(row["last_12"]), delta, delta_color="off",
                       help=f"{row['withheld_share_last']:.0%} of the monthly figures in these 12 months are withheld."
                       if pd.notna(row["withheld_share_last"]) else None)
        st.dataframe(
            table.assign(change=[f"{c:+.1f}%" if pd.notna(c) else "not comparable" for c in table["change_pct"]])
            [["label", "last_12", "previous_12", "change", "withheld_share_last", "reporters"]],
            hide_index=True, width="stretch",
            column_config={
                "label": st.column_config.TextColumn("What is counted"),
                "last_12": st.column_config.NumberColumn("Last 12 months", format="localized"),
                "previous_12": st.column_config.NumberColumn("12 months before", format="localized"),
                "change": st.column_config.TextColumn("Change", help="not comparable: no publisher has figures "
                                                      "for as many months in both periods"),
                "withheld_share_last": st.column_config.NumberColumn("Figures withheld", format="percent",
                                                                     help="Share of monthly figures not published"),
                "reporters": st.column_config.NumberColumn("Publishers", help="Countries or bodies whose "
                                                           "figures are summed"),
            })

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
              help=f"{_fmt(n.get('lead_time_unknown'))} more have no published notification date.")
    c3.metric("Reached an observation threshold", _fmt(n.get("observation_threshold")))
    c4.metric("… of which observers not invited", _fmt(n.get("observation_without_invitation")))

    st.subheader("Infrastructure projects")
    projects = data.projects
    under_way = int(projects.loc[projects["status"] == "under_construction", "projects"].sum())
    c1, c2 = st.columns([1, 3])
    c1.metric("Under construction", f"{under_way:,}")
    c2.dataframe(projects.assign(status=projects["status"].str.replace("_", " ")), hide_index=True,
                 column_config={"status": "Status", "projects": st.column_config.NumberColumn("Projects")})

    st.subheader("Freshness")
    st.caption(f"Latest date in each dataset; this release was published {release.created}.")
    st.dataframe(data.freshness[["label", "earliest", "latest", "records", "sources", "synthetic"]],
                 hide_index=True, width="stretch",
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
        st.caption("Values not published as reported, by dataset, field and reason.")
        st.dataframe(withheld[["dataset", "field", "label", "n"]], hide_index=True, width="stretch", height="content",
                     column_config={"dataset": "Dataset", "field": "Field", "label": "Why",
                                    "n": st.column_config.NumberColumn("Values", format="localized")})
    st.page_link("pages/transparency.py", label="What is withheld, by whom and why")


def main() -> None:
    try:
        release = Q.release_from_env()
    except Q.ReleaseError as exc:
        st.title("borderlens")
        st.error(str(exc))
        st.stop()
    meta = load_meta(release.release_id, release.path)
    options = load_options(release.release_id, release.path)
    filters, warnings = sidebar(options)
    st.session_state["borderlens"] = {"release": release, "filters": filters, "options": options}
    page = st.navigation([
        st.Page(overview_page, title="Overview", default=True),
        st.Page("pages/map.py", title="Map"),
        st.Page("pages/trends.py", title="Crossing trends"),
        st.Page("pages/notices.py", title="Exercise notices"),
        st.Page("pages/infrastructure.py", title="Infrastructure"),
        st.Page("pages/transparency.py", title="Transparency"),
        st.Page("pages/about.py", title="About the data"),
    ])
    next_page = st.session_state.pop("borderlens_next", None)
    if next_page:  # a deep link reached a page before this entry script had run once (see the pages' guard)
        st.switch_page(next_page, query_params=st.query_params.to_dict())
    banner(release, meta)
    for warning in warnings:
        st.warning(warning)
    page.run()


main()
