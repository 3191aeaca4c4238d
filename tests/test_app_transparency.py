"""Transparency page: what is withheld per dataset, field, rule and publisher, and why, from redactions."""

from __future__ import annotations

from test_app_release import app_env, no_exception, open_page, release_dir  # noqa: F401


def test_transparency_says_what_is_withheld_and_why(app_env):
    at = open_page("transparency")
    no_exception(at)
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "fewer than 10" in text                             # crossings-small-counts, k = 10
    assert "shown only as cells" in text                        # notices near borders coarsened
    assert "Why:" in text                                       # the policy's own reason, in words
    detail = at.dataframe[0].value
    assert {"rule_id", "publisher", "rows_affected"} <= set(detail.columns)
    assert any("borderlens demo policy" in m.value for m in at.markdown)
    assert at.text and at.text[0].value                         # the policy in plain language
