"""User mistakes, told in one line with exit code 2 (the CLI catches this, never a traceback)."""

from __future__ import annotations

import re


class UserError(Exception):
    """A mistake the user can fix: a missing file, an unknown layout, a bad policy or profile."""


# What the system says when a file cannot be read or written; DuckDB puts it inside its own message.
_SYSTEM_REASONS = ("No space left on device", "Read-only file system", "Permission denied", "Disk quota exceeded",
                   "Input/output error", "File too large", "Too many open files")


def io_failure(exc: BaseException) -> tuple[str, str | None] | None:
    """(reason, file or None) for a read or write the system refused (an OSError, or a DuckDB error around one),
    else None: a full disk or a read-only folder is the operator's to fix, not a bug to show as a traceback."""
    if isinstance(exc, OSError):  # pyarrow's strerror is its whole message: look inside first
        text = str(exc)
        reason = next((r for r in _SYSTEM_REASONS if r in text), None) or exc.strerror or \
            (text.splitlines() or [type(exc).__name__])[0]
        return reason, (str(exc.filename) if exc.filename else None)
    import duckdb

    if not isinstance(exc, duckdb.Error):
        return None
    text = str(exc)
    found_reason = next((r for r in _SYSTEM_REASONS if r in text), None)
    if found_reason is None:
        return None
    found = re.search(r'file \\?"(.+?)\\?"', text)
    return found_reason, (found.group(1) if found else None)


def io_problem(exc: BaseException | None) -> str | None:
    """io_failure as one text, 'reason: file', of exc or of the error it arose while handling (a failed rollback
    after a full disk refused the commit)."""
    failure, seen = None, 0
    while exc is not None and failure is None and seen < 5:
        failure, exc, seen = io_failure(exc), exc.__cause__ or exc.__context__, seen + 1
    if failure is None:
        return None
    reason, path = failure
    return f"{reason}: {path}" if path else reason
