"""The shared filters in the sidebar (border, countries, period), kept in the URL, and the view in words."""

from __future__ import annotations

from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from data_pipeline.views import queries as Q
from data_pipeline.views import queries_params as P

ALL = "all"


DIMENSION_PREFIX = "dim_"   # ?dim_nationality=SYR,AFG: a dimension's codes in the URL and the widget's key


def dimension_title(name: str) -> str:
    """A dimension's name as a label: nationality -> Nationality, border_type -> Border type."""
    return name.replace("_", " ").capitalize()


def dimension_codes(options: Q.FilterOptions) -> dict[str, dict[str, str]]:
    """Each dimension of the release's crossing figures with its codes and their labels."""
    frame = options.dimensions
    if frame is None or frame.empty:
        return {}
    return {name: dict(zip(codes["code"], codes["label"])) for name, codes in frame.groupby("dimension", sort=True)}


def _code_label(labels: dict[str, str], code: str) -> str:
    """A code with its label: Syria (SYR); a code without one (sea, OOO) as it is."""
    label = labels.get(code, code)
    return code if label == code else f"{label} ({code})"


def describe(filters: Q.Filters, options: Q.FilterOptions) -> str:
    names = dict(zip(options.borders["border"], options.borders["name"]))
    where = names.get("-".join(filters.border), "-".join(filters.border)) if filters.border else "all borders"
    countries = f" · countries {', '.join(filters.countries)}" if filters.countries else ""
    dimensions = "".join(f" · {dimension_title(name).lower()} {', '.join(codes)}"
                         for name, codes in filters.dimensions if codes)
    return (f"Showing **{where}**{countries}{dimensions} · {filters.date_from:%b %Y} to {filters.date_to:%b %Y}")


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
    dimensions = dimension_codes(options)
    shared = [
        P.Param("border", "border", [ALL, *border_names], ALL, "the border"),
        P.Param("countries", "countries", list(country_names), (), "the countries", multi=True),
        *(P.Param(DIMENSION_PREFIX + name, DIMENSION_PREFIX + name, list(codes), (),
                  f"the {dimension_title(name).lower()}", multi=True) for name, codes in dimensions.items()),
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
            for name, codes in dimensions.items():
                st.multiselect(dimension_title(name), list(codes), key=DIMENSION_PREFIX + name,
                               format_func=partial(_code_label, codes),
                               placeholder="All", help=f"Crossing figures broken down by {name.replace('_', ' ')} "
                               "(such as a route's detections by nationality): keep these codes only. Figures "
                               "without this breakdown (most crossing points) are left out while a code is chosen.")
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
        dimensions=tuple((name, tuple(sorted(st.session_state.get(DIMENSION_PREFIX + name) or ())))
                         for name in dimensions),
    )
    return filters, warnings
