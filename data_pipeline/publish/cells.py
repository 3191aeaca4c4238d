"""How wide a coarsened location's cell is: one definition for the policy (redactions.json, the rule's words) and the
dashboard's markers ("location coarsened to about N km") and map grid, which disagreed (20 km and 16 km for h3_5).
"""

from __future__ import annotations

import h3

KM_PER_DEGREE = 111.32   # km per degree of longitude at the equator (of latitude: within 1%): a grid cell's width


def cell_km(precision: str | None) -> float | None:
    """About how wide a cell of the precision code h3_<resolution> or grid_<degrees> is, in km to 0.1 (an H3
    hexagon: twice its mean edge, corner to corner); None for any other code (exact, near, region, ...)."""
    if not isinstance(precision, str):
        return None
    kind, _, size = precision.partition("_")
    try:
        if kind == "h3":
            return round(2 * h3.average_hexagon_edge_length(int(size), "km"), 1)
        if kind == "grid":
            return round(float(size) * KM_PER_DEGREE, 1)
    except (ValueError, TypeError, h3.H3BaseException):
        return None
    return None
