"""URL query parameters: checked against allowed values, with a plain warning and a default for a bad one.

Works on any mappings shaped like Streamlit's `st.query_params` and `st.session_state` (passed in by the
app), so this module stays free of Streamlit. A page declares its parameters as `Param`s; `initialise`
seeds each widget's session-state key from the URL once per session (the URL wins only when the widget has
no state yet), and `publish` writes the widgets' current values back, so the address bar is always a
permalink to the view on screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, MutableMapping, Sequence

_SHOWN = re.compile(r"[^A-Za-z0-9_.:, -]")


def shown(raw: object, limit: int = 40) -> str:
    """A URL value made safe to quote in a message (letters, digits and a few marks; no markdown)."""
    text = _SHOWN.sub("", str(raw))
    return text[:limit] + ("…" if len(text) > limit else "")


@dataclass(frozen=True)
class Param:
    name: str                      # name in the URL (?name=value)
    key: str                       # the widget's session-state key
    allowed: Sequence[str]         # allowed values (strings, as in the URL)
    default: Any                   # a str, or a tuple of str when multi
    label: str                     # what it is, in words, for the warning
    multi: bool = False            # comma-separated list of allowed values
    to_state: Callable[[Any], Any] | None = None   # URL value(s) -> widget value
    to_url: Callable[[Any], str] | None = None     # widget value -> URL text


def parse(param: Param, raw: str | None) -> tuple[Any, str | None]:
    """(value, warning) for one URL value: the value if allowed, else the default and a warning."""
    if raw is None:
        return param.default, None
    allowed = set(param.allowed)
    if param.multi:
        items = tuple(dict.fromkeys(v.strip() for v in str(raw).split(",") if v.strip()))
        bad = [v for v in items if v not in allowed]
        good = tuple(v for v in items if v in allowed)
        if bad and good:
            return good, (f"The link asks for {param.label} “{shown(','.join(bad))}”, which this release does "
                          "not have; it was left out.")
        if bad:   # nothing usable is left: the default view (an empty choice could mean "nothing drawn")
            everything = not param.default or set(param.default) == allowed
            return param.default, (f"The link asks for {param.label} “{shown(','.join(bad))}”, which this release "
                                   f"does not have; showing {'all' if everything else shown(_text(param.default))} "
                                   "instead.")
        return good, None
    if str(raw) in allowed:
        return str(raw), None
    return param.default, (f"The link asks for {param.label} “{shown(raw)}”, which is not one of the allowed "
                           f"values; showing {shown(_text(param.default)) or 'the default'} instead.")


def _text(value: Any) -> str:
    return ",".join(value) if isinstance(value, (tuple, list)) else str(value)


def _all(query_params, name: str) -> list:
    """Every value the address gives for name (Streamlit's get_all; a plain mapping has one at most)."""
    return query_params.get_all(name) if hasattr(query_params, "get_all") else []


def initialise(params: Sequence[Param], session_state: MutableMapping, query_params) -> list[str]:
    """Seed widget state from the URL for widgets that have none yet; returns the warnings to show."""
    warnings = []
    for p in params:
        if p.key in session_state:
            continue
        value, warning = parse(p, query_params.get(p.name))
        session_state[p.key] = p.to_state(value) if p.to_state else (list(value) if p.multi else value)
        if warning:
            warnings.append(warning)
        given = _all(query_params, p.name)
        if len(given) > 1:  # ?countries=USA&countries=CAN: Streamlit keeps the last; say so (no value echoed)
            warnings.append(f"The address gives '{p.name}' {len(given)} times; only the last one is used.")
    return warnings


def publish(params: Sequence[Param], session_state: MutableMapping, query_params) -> None:
    """Write the widgets' values into the URL (only when changed, to avoid needless browser updates)."""
    for p in params:
        if p.key not in session_state:
            continue
        value = session_state[p.key]
        text = "" if value is None else p.to_url(value) if p.to_url else _text(value)
        if text == "":
            if p.name in query_params:
                del query_params[p.name]
        elif query_params.get(p.name) != text or len(_all(query_params, p.name)) > 1:
            query_params[p.name] = text


DEFAULT_MONTHS = 24   # the default period: the latest 24 months of data (not years before the data starts)


def default_period(months: Sequence[str]) -> tuple[str, str]:
    """The period a view opens with when its link names none: the latest DEFAULT_MONTHS months of the release."""
    return (months[max(len(months) - DEFAULT_MONTHS, 0)], months[-1])


def check_period(months: Sequence[str], raw_from: str | None, raw_to: str | None,
                 default: tuple[str, str]) -> tuple[tuple[str, str], list[str]]:
    """The period (from, to) as YYYY-MM within the release's months; swapped when given backwards. A link that
    gives only the end month opens the DEFAULT_MONTHS months up to it."""
    warnings = []
    allowed = set(months)
    chosen = []
    for raw, fallback, which in ((raw_from, default[0], "start month"), (raw_to, default[1], "end month")):
        if raw is None:
            chosen.append(fallback)
        elif str(raw) in allowed:
            chosen.append(str(raw))
        else:
            chosen.append(fallback)
            warnings.append(f"The link asks for the {which} “{shown(raw)}”, which is outside this release's data "
                            f"({months[0]} to {months[-1]}) or not a YYYY-MM month; showing {fallback} instead."
                            if months else f"The link asks for the {which} “{shown(raw)}”; ignored.")
    start, end = chosen
    if raw_from is None and str(raw_to) in allowed:
        # only the end given: the DEFAULT_MONTHS months up to it (not a default start after it)
        start = months[max(list(months).index(end) - DEFAULT_MONTHS + 1, 0)]
    if start > end:
        start, end = end, start
        warnings.append("The link gives the period backwards; it was swapped.")
    return (start, end), warnings


def check_page(raw: str | None, label: str = "page") -> tuple[int, str | None]:
    """A page number from the URL: a whole number from 1, else page 1 and a warning. (Whether the table has that
    many pages is known only after counting its rows: the page says so when it shows the last page instead.)"""
    if raw is None:
        return 1, None
    text = str(raw).strip()
    if re.fullmatch(r"[0-9]{1,9}", text) and int(text) >= 1:
        return int(text), None
    return 1, f"The link asks for {label} “{shown(raw)}”, which is not a page number; showing page 1 instead."


def unknown_page(url: str, base_path: str, page_paths: Sequence[str]) -> str | None:
    """The page an address asks for when no page has that path (None for a known page or the home page): url
    is the browser's address without its query, base_path the server's base URL path (behind a proxy)."""
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", url or "", flags=re.I).split("?", 1)[0].strip("/")
    base = (base_path or "").strip("/")
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base):].strip("/")
    return path if path and path not in set(page_paths) else None
