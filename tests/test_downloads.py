"""The bytes a page's download buttons send: exactly the rows and columns shown, through the safe writers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from data_pipeline.views import downloads as D
from data_pipeline.views.queries import Filters
from data_pipeline.views.queries_projects import projects_view
from test_app_release import release_dir  # noqa: F401

SHOWN = pd.DataFrame({
    "name": ["Plain", "=1+1", "-2+3", "say \"hi\", then\nleave", "<b>x</b> عربى 🙂", None],
    "count": [1, 2, -3, 4, 5, 6],
    "share": [0.5, -72.11, 1.0, None, 0.25, 0.125],
    "lon": [25.0, 26.5, -108.531, 0.0, 1.0, 2.0],
    "lat": [61.5, 60.1, 31.336, 0.0, 1.0, 2.0],
})


def _read_pandas(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8")


def test_csv_rows_and_columns_equal_the_shown_frame():
    data = D.view_file(SHOWN, "csv")
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    back = _read_pandas(data)
    assert list(back.columns) == list(SHOWN.columns) and len(back) == len(SHOWN)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[0] == list(SHOWN.columns) and len(rows) == len(SHOWN) + 1
    for table in (back.values.tolist(), rows[1:]):
        names = [r[0] for r in table]
        # text cells neutralised exactly as the extracts are; other text unchanged
        assert names == ["Plain", "'=1+1", "'-2+3", "say \"hi\", then\nleave", "<b>x</b> عربى 🙂", ""]
        assert [r[1] for r in table] == ["1", "2", "-3", "4", "5", "6"]          # numbers never altered
        assert [r[2] for r in table] == ["0.5", "-72.11", "1", "", "0.25", "0.125"]


def test_excel_variant_has_a_bom_and_the_same_rows():
    plain, excel = D.view_file(SHOWN, "csv"), D.view_file(SHOWN, "csv-excel")
    assert excel.startswith(b"\xef\xbb\xbf") and excel[3:] == plain
    assert _read_pandas(excel[3:]).equals(_read_pandas(plain))


def test_parquet_keeps_exact_values_and_carries_the_citation():
    data = D.view_file(SHOWN, "parquet", citation="borderlens release abc (2025-06-30)", licence="CC0-1.0")
    table = pq.read_table(io.BytesIO(data))
    pd.testing.assert_frame_equal(table.to_pandas(), SHOWN, check_dtype=False)
    meta = table.schema.metadata
    assert meta[b"borderlens:citation"] == b"borderlens release abc (2025-06-30)"
    assert meta[b"borderlens:licence"] == b"CC0-1.0"


def test_geojson_only_where_there_is_geometry():
    assert D.has_geometry(SHOWN) and not D.has_geometry(SHOWN[["name", "count"]])
    doc = json.loads(D.view_file(SHOWN, "geojson", citation="cite me", licence="CC0-1.0"))
    assert doc["type"] == "FeatureCollection" and doc["citation"] == "cite me"
    assert len(doc["features"]) == len(SHOWN)
    assert doc["features"][2]["geometry"] == {"type": "Point", "coordinates": [-108.531, 31.336]}
    assert doc["features"][1]["properties"]["name"] == "=1+1"     # GeoJSON keeps the exact text
    with pytest.raises(ValueError):
        D.view_file(SHOWN, "xlsx")


def test_a_real_view_downloads_as_shown(release_dir):
    table = projects_view(release_dir, Filters(), "any", ("planned",)).table
    shown = table[["project_id", "name", "status_label", "budget_text", "planned_start"]]
    assert len(shown) and set(shown["status_label"]) == {"planned"}
    back = _read_pandas(D.view_file(shown, "csv"))
    assert list(back["project_id"]) == list(shown["project_id"])
    assert list(back.columns) == list(shown.columns)


def test_release_files_lists_prebuilt_extracts_dictionary_licence_and_citation(release_dir):
    files = D.release_files(release_dir)
    assert set(files.extracts["format"]) == {"csv", "parquet", "geojson"}
    assert {"crossings", "exercise_notices", "infrastructure_projects"} <= set(files.extracts["dataset"])
    for row in files.extracts.itertuples():
        assert Path(row.path).parent == Path(release_dir) / "extracts"
        assert D.read_file(row.path) == Path(row.path).read_bytes()
    assert {"value_status", "location_id"} <= set(files.dictionary["column"])
    assert files.citation.startswith("borderlens release ") and files.licences
    assert files.feed and files.feed.endswith("feed.atom")


def test_permalink_and_citation_of_a_view():
    url = D.permalink("http://host:8501/trends?old=1", {"border": "CAN-USA", "grain": "quarter", "embed": "true",
                                                          "mirror": "USA-0209|trucks"})
    assert url == "http://host:8501/trends?border=CAN-USA&grain=quarter&mirror=USA-0209|trucks"
    text = D.cite_view("Crossing trends", "Canada – United States", "abc123", "2025-06-30", url, "borderlens …")
    assert "Crossing trends" in text and "abc123" in text and "2025-06-30" in text and url in text
