"""The Vienna Document verdicts that publish stored in exercise_notices, put into sentences for the notice detail.

The verdicts (yes / no / unknown, with their paragraphs) are decided in SQL (sql/app/vd_macros.sql); this
module only says them, so the page cannot judge a notice differently from the extracts.
"""

from __future__ import annotations

import pandas as pd

from data_pipeline.views.queries import status_marker


def _given(value) -> bool:
    return value is not None and not (not hasattr(value, "__len__") and pd.isna(value))


def _paras(items) -> str:
    items = [str(i) for i in (items if _given(items) else [])]
    return ", ".join(items[:-1]) + " or " + items[-1] if len(items) > 1 else "".join(items)


def _days(n: int) -> str:
    return f"{abs(n):,} day{'' if abs(n) == 1 else 's'}"


def _notified(lead: int) -> str:
    if lead == 0:
        return "notified at its start"
    return f"notified {_days(lead)} ahead" if lead > 0 else f"notified {_days(lead)} after its start"


def _notified_between(least: int, most: int) -> str:
    if least >= 0:
        return f"notified {least:,} to {_days(most)} ahead"
    if most <= 0:
        return f"notified {-most:,} to {_days(least)} after its start"
    return f"notified between {_days(least)} after its start and {_days(most)} ahead"


def _range_sentence(row) -> str:
    """A date without its day: the lead times it can stand for, and the verdict if every one of them gives it."""
    least, most = int(row["lead_days_least"]), int(row["lead_days_most"])
    late, para = row.get("late"), row.get("late_paragraph")
    shown = f"{_notified_between(least, most)} (a date published without its day)"
    if late in ("yes", "no"):
        return f"{shown}: {'late' if late == 'yes' else 'not late'} under para {para} on any of those days"
    return f"{shown}: late on some of those days and not on others, so unknown"


def lead_sentence(row) -> str:
    """'notified 41 days ahead: late under para 38' and the like, from the stored late and late_paragraph."""
    late, para, lead = row.get("late"), row.get("late_paragraph"), row.get("lead_days")
    if not _given(lead):
        status = row.get("notified_on_status")
        if _given(row.get("notified_on")) and _given(row.get("lead_days_least")) and _given(row.get("lead_days_most")):
            return _range_sentence(row)
        if _given(row.get("notified_on")):
            return "dates published less exactly than a day: lead time unknown"
        if status == "withheld_by_publisher":
            return "notification date withheld: lead time unknown"
        if status in ("dropped", "suppressed"):
            return f"notification date {status_marker(status)}: lead time unknown"
        return "notification date not published: lead time unknown"
    lead = int(lead)
    if para == "41":
        told = "carried out without advance notice to the troops"
        if late == "no":
            return f"{_notified(lead)}, {told}: not late under para 41"
        return f"{_notified(lead)}, though {told}: late under para 41"
    if late == "unknown":
        return (f"{_notified(lead)}; whether it was carried out without advance notice to the troops is "
                f"{status_marker(row.get('without_advance_notice_status')) or 'not known'}: late under para 38 "
                "unless para 41 applies, so unknown")
    return f"{_notified(lead)}: {'late' if late == 'yes' else 'not late'} under para 38"


def size_sentence(row, verdict: str, paragraphs: str, yes: str, no: str, what: str) -> str:
    """One threshold verdict in words: yes names the paragraphs met, unknown those a withheld number leaves open."""
    paras = _paras(row.get(paragraphs))
    if row.get(verdict) == "yes":
        return f"{yes} under para {paras}"
    if row.get(verdict) == "unknown":
        return (f"{what} unknown: below the thresholds on the published numbers, but a number para {paras} "
                "reads is withheld or not stated")
    return f"{no} (below every threshold of para {paras})" if paras else no


def verdict_sentences(row) -> list[str]:
    """The three verdicts of one notice, each a sentence (lead time, notifiable, observers)."""
    return [
        lead_sentence(row),
        size_sentence(row, "notifiable", "notifiable_paragraphs", "notifiable", "not notifiable", "notifiable size"),
        size_sentence(row, "observation_required", "observation_paragraphs", "observers must be invited",
                      "observers not required", "whether observers must be invited is"),
    ]
