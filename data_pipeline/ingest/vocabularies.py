"""Vocabularies a profile names without restating them: `subdivisions:CC` maps the names and codes of country CC's
ISO 3166-2 subdivisions (from pycountry) to their ISO codes, so region codes come from the standard, not a copy;
`countries` maps country names (ISO short, official and common names, and the usual English names ISO does not
use, such as "Russia" or "Iran"), ISO alpha-2, alpha-3 and numeric codes to ISO alpha-3. A profile's own
[vocab.NAME] table of the same name is laid over the built-in one (its words win)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pycountry

SUBDIVISIONS = "subdivisions:"
COUNTRIES = "countries"
KOSOVO = {"kosovo": "XKX", "xk": "XKX", "xkx": "XKX"}   # user-assigned codes (not ISO), as in the countries table
# English names in common use that are none of ISO 3166's short, official or common names
ALIASES = {
    "russia": "RUS", "soviet union": "RUS", "ussr": "RUS", "great britain": "GBR", "britain": "GBR", "uk": "GBR",
    "england": "GBR", "united states of america": "USA", "us": "USA", "u.s.": "USA", "u.s.a.": "USA",
    "america": "USA", "czech republic": "CZE", "turkey": "TUR", "iran": "IRN", "syria": "SYR", "south korea": "KOR",
    "republic of korea": "KOR", "north korea": "PRK", "vietnam": "VNM", "laos": "LAO", "macedonia": "MKD",
    "fyrom": "MKD", "ivory coast": "CIV", "cote d'ivoire": "CIV", "moldova": "MDA", "bolivia": "BOL",
    "venezuela": "VEN", "tanzania": "TZA", "taiwan": "TWN", "palestine": "PSE", "vatican": "VAT",
    "holy see": "VAT", "brunei": "BRN", "cape verde": "CPV", "swaziland": "SWZ", "burma": "MMR",
    "east timor": "TLS", "democratic republic of the congo": "COD", "dr congo": "COD", "drc": "COD",
    "congo-kinshasa": "COD", "republic of the congo": "COG", "congo-brazzaville": "COG", "micronesia": "FSM",
    "the netherlands": "NLD", "holland": "NLD", "the gambia": "GMB", "the bahamas": "BHS", "west germany": "DEU",
    "federal republic of germany": "DEU", "yugoslavia": "SRB", "serbia and montenegro": "SRB",
    # Unicode CLDR's English short names, which many publishers use
    "congo - brazzaville": "COG", "congo - kinshasa": "COD", "myanmar (burma)": "MMR", "hong kong sar china": "HKG",
    "macao sar china": "MAC", "st. vincent & grenadines": "VCT", "palestinian territories": "PSE",
}


def _variants(word: str) -> set[str]:
    """A name as publishers also write it: '&' for 'and', 'St.' for 'Saint', a typographic apostrophe."""
    out = {word}
    for old, new in ((" and ", " & "), ("saint ", "st. "), ("'", "\u2019")):
        out |= {w.replace(old, new) for w in out}
    return out


def _countries() -> dict[str, str]:
    """Words of each country (lower-case) -> ISO alpha-3; a word two countries share is left out, not guessed."""
    words: dict[str, set[str]] = {}
    for country in pycountry.countries:
        names = [country.alpha_2, country.alpha_3, country.numeric, str(int(country.numeric)), country.name,
                 getattr(country, "official_name", None), getattr(country, "common_name", None)]
        for word in filter(None, names):
            for variant in _variants(word.strip().lower()):
                words.setdefault(variant, set()).add(country.alpha_3)
    table = {word: codes.pop() for word, codes in words.items() if len(codes) == 1}
    aliases = {variant: code for word, code in ALIASES.items() for variant in _variants(word)}
    return {**table, **KOSOVO, **aliases}


def is_builtin_vocabulary(name: str) -> bool:
    """Whether builtin_vocabulary(name) gives a table, without building the countries one (what a profile check asks:
    every ingest checks every profile)."""
    return name == COUNTRIES or builtin_vocabulary(name) is not None


@cache
def builtin_vocabulary(name: str) -> dict[str, str] | None:
    """The built-in vocabulary `name` with lower-case keys (as a [vocab.NAME] table is folded), or None when there
    is none of that name. `subdivisions:US` maps "Vermont" and "VT" (any case) to "US-VT"; a word two subdivisions
    share is left out rather than guessed."""
    if name == COUNTRIES:
        return _countries()
    if not name.startswith(SUBDIVISIONS):
        return None
    words: dict[str, set[str]] = {}
    for code, subdivision_name in _subdivisions().get(name[len(SUBDIVISIONS):].upper(), []):
        for word in (subdivision_name, code.split("-", 1)[1]):
            words.setdefault(word.strip().lower(), set()).add(code)
    table = {word: codes.pop() for word, codes in sorted(words.items()) if len(codes) == 1}
    return table or None


@cache
def _subdivisions() -> dict[str, list[tuple[str, str]]]:
    """Country alpha-2 -> its ISO 3166-2 subdivisions (code, name), from pycountry's own data file: building
    pycountry's 5,000 subdivision objects to pick one country's cost 0.05 s of every ingest (the profile checks look
    the vocabulary up). tests/test_vocabularies.py checks the tables against pycountry's API."""
    with open(Path(pycountry.DATABASE_DIR) / "iso3166-2.json", encoding="utf-8") as handle:
        entries = json.load(handle)["3166-2"]
    found: dict[str, list[tuple[str, str]]] = {}
    for entry in entries:
        found.setdefault(entry["code"].split("-", 1)[0], []).append((entry["code"], entry["name"]))
    return found
