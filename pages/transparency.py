"""Transparency: what the release withholds, per dataset, field, rule and publisher, and why, in plain words."""

from __future__ import annotations

import streamlit as st

from dashboard_ui.session import surface
from dashboard_ui.sharing import share_view
from dashboard_ui.tables import show_table
from data_pipeline.views.queries import md_escape
from data_pipeline.views.queries_transparency import transparency_view

if "borderlens" not in st.session_state:  # opened by a deep link before the entry script ran (first visit)
    st.session_state["borderlens_next"] = "pages/transparency.py"
    st.switch_page("app.py", query_params=st.query_params.to_dict())


@st.cache_data(show_spinner=False, max_entries=16)
def load(release_id: str, release_path: str):
    return transparency_view(release_path)


release = st.session_state["borderlens"]["release"]
view = load(release.release_id, release.path)

st.title("What is withheld, and why")
st.markdown("Some values are not published as the source gave them: a **publisher** may withhold a figure "
            "itself, and this site's **redaction policy** suppresses small counts, coarsens sensitive places and "
            "drops a few fields. Each such value appears in the dashboard as a marker that says why, never as a "
            "zero and never silently left out. The withheld values themselves are not in this release: not in "
            "its database, its downloads or anything sent to your browser.")
st.caption("These counts cover the whole release, whatever the filters in the sidebar.")

statements = view.statements
if statements.empty:
    st.info("Nothing is withheld in this release: every value is published as reported.")
else:
    policy_rows = statements[statements["who"] == "the policy"]
    publisher_rows = statements[statements["who"] == "the publisher"]
    c1, c2, c3 = st.columns(3)
    c1.metric("Values withheld by publishers", f"{int(publisher_rows['rows_affected'].sum()):,}")
    c2.metric("Values changed or withheld by the policy", f"{int(policy_rows['rows_affected'].sum()):,}")
    c3.metric("Policy rules that applied", f"{policy_rows['rule_id'].nunique():,}")

    st.subheader("In plain words")
    st.caption("One line per rule, dataset, field and publisher; quote them as they are.")
    for dataset, rows in statements.groupby("dataset_label", sort=True):
        lines = []
        for row in rows.itertuples():
            why = f" *Why:* {md_escape(row.reason, 600)}" if isinstance(row.reason, str) and row.reason \
                and row.action != "withheld_by_publisher" else ""
            rule = f" (rule `{row.rule_id[:80].replace('`', '')}`)" if isinstance(row.rule_id, str) else ""
            lines.append(f"- {md_escape(row.statement, 600)}{why}{rule}")
        st.markdown(f"**{md_escape(dataset)}**\n\n" + "\n".join(lines))

    st.subheader("By dataset, field, rule and publisher")
    show_table(
        statements[["dataset_label", "field_label", "action", "rule_id", "publisher", "rows_affected", "k",
                    "precision", "detail"]], "withheld-by-rule",
                 hide_index=True, width="stretch",
                 column_config={"dataset_label": "Dataset", "field_label": "Field", "action": "Action",
                                "rule_id": "Rule", "publisher": "Publisher",
                                "rows_affected": st.column_config.NumberColumn("Values", format="localized"),
                                "k": st.column_config.NumberColumn("Threshold k", help="suppress_below: counts under k"),
                                "precision": "Cell", "detail": "Detail"})

audit = view.audit
if audit:
    st.subheader("Can a suppressed count be worked out?")
    p = audit.get("protection_percent", 0)
    st.markdown(
        "Before publishing, borderlens played the attacker: for every suppressed crossing count it computed, by "
        "linear programming, the range of values that the published counts and the true totals of every margin "
        "(per place and period across measures, per border and period, per place and year, across reporters) "
        f"still allow. Each small count's range must reach at least {p:g} % below and above its value"
        + (", also together with the previous release." if audit.get("audited_with_previous_release") else "."))
    a1, a2, a3, a4 = st.columns(4)
    a1.metric("Crossing counts audited", f"{audit.get('cells', 0):,}")
    a2.metric("Small counts suppressed", f"{audit.get('primaries', 0):,}")
    a3.metric("Suppressed to protect them", f"{audit.get('secondaries', 0):,}")
    a4.metric("Narrowest range", f"at least ±{100 * audit.get('narrowest_interval_share_at_least', 0) / 2:g} %",
              help="Of a small count's value. The exact narrowest figure is not published: with the totals, "
                   "it would narrow that count down.")
    caveats = []
    if audit.get("unprotectable"):
        caveats.append(f"{audit['unprotectable']:,} small counts are the only figure in a total that the other "
                       "totals give away; no suppression can protect them from someone who knows all those totals")
    if audit.get("primaries_published_before"):
        caveats.append(f"{audit['primaries_published_before']:,} small counts were published by the previous "
                       "release")
    if caveats:
        st.caption("; ".join(caveats) + ".")

st.subheader("What the markers mean")
surface().dataframe(  # a plain table in the printed view

    [{"Marker": "withheld by publisher", "Meaning": "The source published the record without this value."},
     {"Marker": "suppressed: fewer than k, or protecting such a count", "Meaning": "A count under k is not published (small numbers can "
      "single people out). Some other counts are suppressed too, so that totals cannot give a small one back."},
     {"Marker": "not published (policy)", "Meaning": "The policy drops this field for this record."},
     {"Marker": "location coarsened to about N km", "Meaning": "The place is shown as a cell N km across, drawn "
      "as that cell on maps, not as a point."},
     {"Marker": "date coarsened to the month", "Meaning": "Only the month of this date is published."},
     {"Marker": "not available", "Meaning": "The source gives no value (not a redaction)."}],
    hide_index=True, width="stretch")

st.subheader("The policy")
st.markdown(f"**{md_escape(view.policy_name or 'Redaction policy')}**, applied when release "
            f"`{view.release_id[:12].replace('`', '')}` was published on {md_escape(view.created)}.")
if view.policy_text:
    st.text(view.policy_text)
share_view("Transparency")
