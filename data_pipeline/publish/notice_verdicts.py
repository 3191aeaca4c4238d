"""The Vienna Document verdicts stored in a release's exercise_notices (lead_days, late, notifiable, ...).

Worked out at publish, on the scratch tables after the policy ran, with the same SQL macros the app reads
(sql/app/vd_macros.sql), so the page, the figures and the extracts give one answer.
"""

from __future__ import annotations

from data_pipeline.db import sql

VERDICT_COLUMNS = ("lead_days", "late", "late_paragraph", "notifiable", "notifiable_paragraphs",
                   "observation_required", "observation_paragraphs")


def store_notice_verdicts(con) -> None:
    """Add the verdict columns to the scratch exercise_notices (needs it and vd_thresholds in the main schema)."""
    con.execute("attach if not exists ':memory:' as macros (read_write)")
    try:
        con.execute(sql("app/vd_macros"))
        con.execute(sql("release/notice_verdicts"))
    finally:
        con.execute("detach macros")
