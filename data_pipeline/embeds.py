"""Embedded views (?embed=true): the address of one, its iframe snippet, and a chart fitted to an iframe.

Pure Python (no Streamlit): app.py draws what these return. An embed shows only the chart or map, a heading
naming place, measure and period, and a one-line source linking back to the full view; it must fit an
800 x 520 iframe, so a chart's views are scaled to a height budget.
"""

from __future__ import annotations

import copy
import html
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

IFRAME_WIDTH, IFRAME_HEIGHT = 800, 520
# The chart's share of an 800 x 520 iframe: what is left after the page's top padding (~40 px), the heading
# (~30 px), the axes and view titles Vega-Lite adds (~60 px per view stack) and the source line (~30 px).
CHART_HEIGHT = 140
MAP_HEIGHT = 200
# An embedded map is centred and zoomed so that its data fits a frame this narrow: the server cannot know the
# width of the page that embeds it, so it fits the narrowest (a phone's column) and the data stays whole in any
# wider frame, with more of the basemap around it.
MAP_FIT_WIDTH = 320


def embed_url(view_url: str) -> str:
    """The view's address with embed=true (the full view's address is view_url itself)."""
    parts = urlsplit(view_url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "embed"]
    query.append(("embed", "true"))
    return urlunsplit(parts._replace(query=urlencode(query, safe=",|-")))


def iframe_snippet(view_url: str, title: str) -> str:
    """HTML to paste into a web page: the embedded view in an 800 x 520 iframe, with an accessible title. The
    title and address are attribute-escaped, since a title can hold publisher text."""
    src = html.escape(embed_url(view_url), quote=True)
    return (f'<iframe src="{src}" title="{html.escape(title, quote=True)}" width="{IFRAME_WIDTH}" '
            f'height="{IFRAME_HEIGHT}" style="border:0" loading="lazy"></iframe>')


SOURCE_CHARS = 34   # the publishers an embed's one-line source names before "and N more"


def publishers_line(publishers: list[str]) -> str:
    """The publishers, as many as fit one line of an embed (a longer first name cut with …), then "and N more";
    the full view, linked beside it, names them all."""
    shown: list[str] = []
    for name in publishers:
        if shown and len("; ".join([*shown, name])) > SOURCE_CHARS:
            break
        shown.append(name if len(name) <= SOURCE_CHARS else name[: SOURCE_CHARS - 1].rstrip() + "…")
    more = len(publishers) - len(shown)
    return "; ".join(shown) + (f" and {more} more" if more else "")


def heading(title: str, where_and_when: str) -> str:
    """The one-line heading of an embed: the chart's title (measure), then place and period."""
    return f"{title} · {where_and_when}" if where_and_when else title


def copy_spec(spec: dict) -> dict:
    """A copy of a Vega-Lite spec to change: everything copied but the datasets' rows (DataFrames or lists), which
    the changes never touch and which may be large."""
    out = copy.deepcopy({key: value for key, value in spec.items() if key != "datasets"})
    if "datasets" in spec:
        out["datasets"] = dict(spec["datasets"])
    return out


def stacked_views(spec: dict) -> list[dict]:
    """The views whose heights add up down the chart: a vconcat's members (recursively), else the view."""
    if "vconcat" in spec:
        return [view for member in spec["vconcat"] for view in stacked_views(member)]
    return [spec]


def fit_height(spec: dict, total: int = CHART_HEIGHT) -> dict:
    """A copy of a Vega-Lite spec whose stacked views share `total` pixels of plot height in their proportions
    (a view without a height counts as 200, Vega-Lite's usual)."""
    fitted = copy_spec(spec)
    views = stacked_views(fitted)
    heights: list[float] = []
    for view in views:
        height = view.get("height")
        heights.append(float(height) if isinstance(height, (int, float)) else 200.0)
    scale = total / sum(heights)
    for view, height in zip(views, heights):
        view["height"] = max(40, int(height * scale))
    return fitted
