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


def test_transparency_shows_the_suppression_audit_figures_from_the_release(app_env, release_dir):
    import json

    from pathlib import Path

    stored = json.loads((Path(release_dir) / "redactions.json").read_text())["suppression_audit"]
    at = open_page("transparency")
    no_exception(at)
    assert any(s.value == "Can a suppressed count be worked out?" for s in at.subheader)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Crossing counts audited"] == f"{stored['cells']:,}" and stored["cells"] > 20_000
    assert metrics["Small counts suppressed"] == f"{stored['primaries']:,}"
    assert metrics["Suppressed to protect them"] == f"{stored['secondaries']:,}"
    assert metrics["Narrowest range"] == "at least ±20 %"
    assert stored["unprotectable"] == 0 or any(f"{stored['unprotectable']:,} small counts" in c.value
                                                for c in at.caption)
