"""About page: sources with licences and synthetic flags, definitions, methods, the thresholds used."""

from __future__ import annotations

from test_app_release import app_env, no_exception, open_page, release_dir  # noqa: F401


def test_about_lists_sources_licences_and_synthetic_flags(app_env):
    at = open_page("about")
    no_exception(at)
    sources = at.dataframe[0].value
    assert sources["licence"].notna().all()
    assert sources["synthetic"].any() and not sources["synthetic"].all()
    assert "synthetic" in " ".join(w.value for w in at.warning).lower()
    methods = " ".join(m.value for m in at.markdown)
    for words in ("Late notice", "Chapter VIII", "Year-over-year", "Mirror gap", "Withheld share"):
        assert words in methods
    paragraphs = set(at.dataframe[1].value["paragraph"])
    assert {"38", "47.4", "69"} <= paragraphs
