"""Vocabularies a profile names without restating them: `subdivisions:CC` maps the names and codes of country CC's
ISO 3166-2 subdivisions (from pycountry) to their ISO codes, so region codes come from the standard, not a copy."""

from __future__ import annotations

from functools import cache

import pycountry

SUBDIVISIONS = "subdivisions:"


@cache
def builtin_vocabulary(name: str) -> dict[str, str] | None:
    """The built-in vocabulary `name` with lower-case keys (as a [vocab.NAME] table is folded), or None when there
    is none of that name. `subdivisions:US` maps "Vermont" and "VT" (any case) to "US-VT"; a word two subdivisions
    share is left out rather than guessed."""
    if not name.startswith(SUBDIVISIONS):
        return None
    subdivisions = pycountry.subdivisions.get(country_code=name[len(SUBDIVISIONS):].upper()) or []
    words: dict[str, set[str]] = {}
    for subdivision in subdivisions:
        for word in (subdivision.name, subdivision.code.split("-", 1)[1]):
            words.setdefault(word.strip().lower(), set()).add(subdivision.code)
    table = {word: codes.pop() for word, codes in sorted(words.items()) if len(codes) == 1}
    return table or None
