"""The shared filters in the sidebar (border, countries, period), kept in the URL, and the view in words."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from data_pipeline.views import queries as Q
from data_pipeline.views import queries_params as P

ALL = "all"


def describe(filters: Q.Filters, options: Q.FilterOptions) -> str:
    names = dict(zip(options.borders["border"], options.borders["name"]))
    where = names.get("-".join(filters.border), "-".join(filters.border)) if filters.border else "all borders"
    countries = f" · countries {', '.join(filters.countries)}" if filters.countries else ""
    return (f"Showing **{where}**{countries} · {filters.date_from:%b %Y} to {filters.date_to:%b %Y}")


def describe_plain(filters: Q.Filters, options: Q.FilterOptions) -> str:
    return describe(filters, options).replace("**", "").replace("Showing ", "")


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
