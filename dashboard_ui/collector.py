"""Keeps the server's start-up objects out of Python's full garbage collections: once per process, after the first
run of the entry script, gc.freeze() moves every object then alive (the modules of Streamlit, pandas, altair and
DuckDB, the release's first answers) to a generation the collector never walks.

Why: with `runner.postScriptGC = false` Python still runs a full collection now and then; it walked those ~150,000
objects each time, 80-250 ms inside some visitor's page view at 10M crossings (the warm page views' slowest
5%; docs/performance.md, "Stop 40"). Objects made later are collected as before; what the first run leaves
behind in reference cycles stays in memory (one run's worth, once)."""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_frozen = False


def freeze_start_up_objects() -> bool:
    """gc.freeze() the first time it is called in this process; True if this call froze."""
    global _frozen
    with _lock:
        if _frozen:
            return False
        _frozen = True
        gc.freeze()
        return True
