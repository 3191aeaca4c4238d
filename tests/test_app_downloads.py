"""Downloads page: the prebuilt extracts as download buttons, the data dictionary, licence and citation."""

from __future__ import annotations

import json
from pathlib import Path

from test_app_release import app_env, no_exception, open_page, release_dir  # noqa: F401


def test_downloads_page_offers_every_extract_and_the_dictionary(app_env):
    at = open_page("downloads")
    no_exception(at)
    labels = [b.proto.label for b in at.get("download_button")]
    extracts = sorted((Path(app_env) / "extracts").iterdir())
    assert sum(label.split(" ")[0] in ("CSV", "PARQUET", "GEOJSON") for label in labels) >= len(extracts)
    assert "datapackage.json" in labels and "feed.atom" in labels
    package = json.loads((Path(app_env) / "datapackage.json").read_text(encoding="utf-8"))
    dictionary = at.dataframe[0].value
    assert {"dataset", "column", "type", "description"} <= set(dictionary.columns)
    assert set(dictionary["dataset"]) == {Path(r["path"]).stem for r in package["resources"]}
    codes = " ".join(c.value for c in at.code)
    assert package["citation"] in codes
    assert "Licences:" in " ".join(t.value for t in at.text)


def test_every_page_has_a_copy_link_and_a_citation(app_env):
    at = open_page("trends", {"border": "CAN-USA", "grain": "quarter"})
    no_exception(at)
    codes = [c.value for c in at.code]
    link = next(c for c in codes if c.startswith("/trends?"))
    assert "border=CAN-USA" in link and "grain=quarter" in link
    cite = next(c for c in codes if c.startswith("borderlens, “Crossing trends”"))
    assert link in cite and "grain=quarter" in cite
    release = json.loads((Path(app_env) / "release.json").read_text(encoding="utf-8"))
    assert release["release_id"] in cite


def test_every_chart_has_a_summary_data_table_and_images(app_env):
    at = open_page("trends")
    no_exception(at)
    charts = at.get("vega_lite_chart")
    assert charts
    labels = [e.proto.label for e in at.expander]
    assert labels.count("Data table") >= len(charts)
    images = [b.proto.label for b in at.get("download_button") if b.proto.label.startswith("Chart as")]
    assert images.count("Chart as PNG") == len(charts) and images.count("Chart as SVG") == len(charts)
    spec = " ".join(c.proto.spec for c in charts)
    assert "#0072B2" in spec or "#0072b2" in spec.lower()      # Okabe–Ito

