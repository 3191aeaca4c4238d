"""Downloads ready for analysis: numbers as numbers with their status beside them, ISO dates, no formula guard on
numbers, and the citation and licence inside every Parquet (page downloads and release extracts) and in a
sidecar for CSV. Read back with pandas from a real release."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from data_pipeline.views import downloads as D
from data_pipeline.views.queries import Filters
from data_pipeline.views.queries_notices import SHOWN as NOTICE_COLUMNS
from data_pipeline.views.queries_notices import notices_table
from data_pipeline.views.queries_projects import SHOWN as PROJECT_COLUMNS
from data_pipeline.views.queries_projects import projects_table
from test_app_release import release_dir  # noqa: F401


def _csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), keep_default_na=False, na_values=[""], encoding="utf-8")


def test_notices_download_holds_troops_as_numbers_with_their_status(release_dir):
    rows = notices_table(release_dir, Filters())
    assert "troops_text" in NOTICE_COLUMNS and "troops_text" not in rows.columns
    assert {"troops", "troops_status", "battle_tanks", "battle_tanks_status"} <= set(rows.columns)
    back = _csv(D.view_file(rows, "csv"))
    assert pd.api.types.is_numeric_dtype(back["troops"])
    reported = back[back["troops_status"] == "reported"]
    assert len(reported) and reported["troops"].notna().all() and (reported["troops"] > 1000).any()
    withheld = back[back["troops_status"].isin(["withheld_by_publisher", "suppressed", "dropped"])]
    assert len(withheld) and withheld["troops"].isna().all()   # withheld is empty, never zero
    # dates as ISO dates, never with a time of day
    text = D.view_file(rows, "csv").decode("utf-8")
    assert "00:00:00" not in text
    starts = pd.to_datetime(back["start_date"], format="%Y-%m-%d")
    assert starts.notna().all()


def test_projects_download_holds_budget_and_currency_apart(release_dir):
    rows = projects_table(release_dir, Filters(), "any", ())
    assert "budget_text" in PROJECT_COLUMNS
    assert {"budget", "currency", "budget_status"} <= set(rows.columns) and "budget_text" not in rows.columns
    table = pq.read_table(io.BytesIO(D.view_file(rows, "parquet")))
    back = table.to_pandas()
    assert pd.api.types.is_float_dtype(back["budget"]) or pd.api.types.is_integer_dtype(back["budget"])
    assert (back.loc[back["budget_status"] == "reported", "budget"] > 0).all()
    assert str(table.schema.field("planned_start").type) == "date32[day]"


def test_overview_change_is_a_number_not_a_guarded_text():
    table = pd.DataFrame({"label": ["people", "trucks"], "last_12": [1000.0, 50.0], "previous_12": [968.0, None],
                          "change_pct": [3.3058, None], "change_status": ["compared", "not comparable"]})
    shown = table.assign(change=["+3.3%", "not comparable"])[["label", "last_12", "previous_12", "change"]]
    data = D.view_file(D.analysis_frame(list(shown.columns), table), "csv").decode("utf-8")
    assert "'+3.3%" not in data and "+3.3%" not in data
    back = _csv(data.encode("utf-8"))
    assert list(back.columns) == ["label", "last_12", "previous_12", "change_pct", "change_status"]
    assert back["change_pct"].iloc[0] == 3.3058 and pd.isna(back["change_pct"].iloc[1])
    assert list(back["change_status"]) == ["compared", "not comparable"]


def test_text_keeps_its_formula_guard_while_numbers_stay_numbers():
    rows = pd.DataFrame({"name": ["=HYPERLINK(1)", "-2+3"], "gap": [-120.0, 5.0]})
    back = _csv(D.view_file(D.analysis_frame(["name", "gap"], rows), "csv"))
    assert list(back["name"]) == ["'=HYPERLINK(1)", "'-2+3"] and list(back["gap"]) == [-120.0, 5.0]


def test_csv_sidecar_names_citation_licence_and_columns(release_dir):
    rows = notices_table(release_dir, Filters())
    files = D.release_files(release_dir)
    text = D.view_file(rows, "citation", files.citation, files.licences).decode("utf-8")
    assert f"Citation: {files.citation}" in text and f"Licence: {files.licences}" in text
    assert "- troops (number)" in text and f"Rows: {len(rows)}" in text


def test_every_release_parquet_carries_citation_and_licence(release_dir):
    package = json.loads((Path(release_dir) / "datapackage.json").read_text(encoding="utf-8"))
    files = D.release_files(release_dir)
    parquets = sorted((Path(release_dir) / "extracts").glob("*.parquet"))
    assert len(parquets) == 3
    for path in parquets:
        meta = pq.read_schema(path).metadata
        assert meta[b"borderlens:citation"].decode("utf-8") == package["citation"]
        assert meta[b"borderlens:licence"].decode("utf-8") == files.licences != ""
