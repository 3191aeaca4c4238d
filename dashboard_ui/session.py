"""The page context of a visitor's session: which release, filters and view (embedded, printed) the pages draw.

app.py sets it on every run, before the page runs, in st.session_state["borderlens"]: per-session data only
(release, filters, filter options, embed and print flags, synthetic datasets, the page's address, and what the
page's widgets remember between calls, such as chart colours); the widgets themselves are functions of this
package, which the pages import.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard_ui.print_view import Hidden, PrintView

KEY = "borderlens"


def context() -> dict[str, Any]:
    """This session's page context (set by app.py before the page runs)."""
    return st.session_state[KEY]


def ready() -> bool:
    """Whether the entry script has run in this session (a deep link may reach a page first)."""
    return KEY in st.session_state


def surface() -> Any:
    """What a page draws its explanations and controls on: st, or a stand-in that draws nothing in an embedded
    view and no controls in the printed view."""
    ctx = context()
    return Hidden() if ctx["embed"] else PrintView() if ctx.get("print") else st
