"""The release's shared answers, cached per release (st.cache_data): read before every page."""

from __future__ import annotations

import streamlit as st

from data_pipeline.views import downloads as D
from data_pipeline.views import queries as Q
from data_pipeline.views.queries_transparency import crossings_provenance, provenance


@st.cache_data(show_spinner=False, max_entries=16)
def load_meta(release_id: str, release_path: str) -> Q.ReleaseMeta:
    return Q.release_meta(release_path)


@st.cache_data(show_spinner=False, max_entries=16)
def load_options(release_id: str, release_path: str) -> Q.FilterOptions:
    return Q.filter_options(release_path)


@st.cache_data(show_spinner=False, max_entries=16)
def load_files(release_id: str, release_path: str) -> D.ReleaseFiles:
    return D.release_files(release_path)


@st.cache_data(show_spinner=False, max_entries=16)
def load_provenance(release_id: str, release_path: str) -> dict:
    return provenance(release_path)


@st.cache_data(show_spinner=False, max_entries=256)
def load_crossings_provenance(release_id: str, release_path: str, filters: Q.Filters) -> tuple[str, str, bool]:
    return crossings_provenance(release_path, filters)
