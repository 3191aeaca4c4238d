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



def test_a_file_over_the_limit_is_not_sent_by_the_dashboard(app_env, monkeypatch):
    """A download button holds its file in the server's memory: past BORDERLENS_APP_DOWNLOAD_LIMIT_MB a file is
    named with its size and left to a file server; without one, the page says whom to ask and what else to take."""
    import pytest

    from data_pipeline.views import downloads as D

    monkeypatch.setenv(D.APP_LIMIT_ENV, "1")
    extracts = {p.name: p.stat().st_size for p in (Path(app_env) / "extracts").iterdir()}
    large = sorted(name for name, size in extracts.items() if size > 1 << 20)
    small = sorted(name for name, size in extracts.items() if size <= 1 << 20)
    assert large and small, extracts   # the demo release has both: the test means something
    at = open_page("downloads")
    no_exception(at)
    buttons = {b.proto.label for b in at.get("download_button")}
    for name in small:
        assert any(label.startswith(Path(name).suffix[1:].upper() + " (") for label in buttons), (name, buttons)
    captions = " ".join(c.value for c in at.caption)
    assert captions.count("too large to send from here") == len(large), captions
    assert "Files over 1.0 MB are not sent by the dashboard itself" in captions and "Ask the operator" in captions
    assert not at.get("link_button")
    with pytest.raises(ValueError, match="larger than the dashboard sends"):
        D.read_file(str(Path(app_env) / "extracts" / large[0]))

    monkeypatch.setenv(D.FILES_URL_ENV, "/release-files/")   # e.g. nginx under `borderlens serve --replicas`
    at = open_page("downloads")
    no_exception(at)
    links = sorted(b.proto.url for b in at.get("link_button"))
    assert links == [f"/release-files/extracts/{name}" for name in large], links
    assert "fetch them from the release's file server" in " ".join(c.value for c in at.caption)


def test_sizes_are_in_words_a_reader_knows():
    from data_pipeline.views.downloads import size_words

    assert [size_words(n) for n in (1, 420_000, 17_900_000, 3_130_807_603)] == \
        ["1 KB", "410 KB", "17.1 MB", "2.9 GB"]
