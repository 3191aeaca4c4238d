"""Which release a visitor's session shows when a new one is swapped in under a running dashboard.

A session keeps the release it opened while that folder is still on disk and whole, so that figures never change
under an open page; it is told that new data is available. Kept out of app.py, and free of Streamlit: the caller
passes its session state (any mapping).
"""

from __future__ import annotations

from collections.abc import MutableMapping

from data_pipeline.views.queries import Release, ReleaseError, open_release

OPENED = "borderlens_opened_release"   # the session-state key: the Release this session opened


def session_release(state: MutableMapping, current: Release) -> tuple[Release, str]:
    """The release to show this session (the one it opened, or the current one) and the notice to show ("" for
    none): new data available (the opened release is kept), or the data updated (the opened one is gone)."""
    opened = state.get(OPENED)
    if opened is None or opened == current:
        state[OPENED] = current
        return current, ""
    try:
        still = open_release(opened.path)
    except ReleaseError:
        still = None
    if still == opened:
        return opened, (f"New data is available: release `{current.release_id[:12]}` ({current.created}) has "
                        f"been published. This page still shows release `{opened.release_id[:12]}`, as when you "
                        "opened it; reload the page to see the new data.")
    state[OPENED] = current
    return current, (f"The data was updated while this page was open: it now shows release "
                     f"`{current.release_id[:12]}` ({current.created}).")
