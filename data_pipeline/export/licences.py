"""Licence identifiers for the words publishers use ("CC BY-NC 4.0", "Open Government Licence v3.0", ...).

One table of known licences, matched on normalised words, so that datapackage.json names the licence a file is
really under: a near miss (CC BY-NC read as CC BY) would be a legal error in every download. Words not in the
table are kept verbatim and flagged (`recognised: false`) rather than guessed.
"""

from __future__ import annotations

import re

# Normalised words -> (identifier, canonical title, address). Identifiers are SPDX (https://spdx.org/licenses/);
# public domain has none there, so it gets the Open Definition id `other-pd` that Frictionless uses.
_CC = "https://creativecommons.org/licenses"
KNOWN: dict[str, tuple[str, str, str | None]] = {
    "cc by 4.0": ("CC-BY-4.0", "Creative Commons Attribution 4.0 International", f"{_CC}/by/4.0/"),
    "cc by 3.0": ("CC-BY-3.0", "Creative Commons Attribution 3.0 Unported", f"{_CC}/by/3.0/"),
    "cc by 3.0 igo": ("CC-BY-3.0-IGO", "Creative Commons Attribution 3.0 IGO", f"{_CC}/by/3.0/igo/"),
    "cc by 2.0": ("CC-BY-2.0", "Creative Commons Attribution 2.0 Generic", f"{_CC}/by/2.0/"),
    "cc by sa 4.0": ("CC-BY-SA-4.0", "Creative Commons Attribution Share Alike 4.0 International",
                     f"{_CC}/by-sa/4.0/"),
    "cc by sa 3.0": ("CC-BY-SA-3.0", "Creative Commons Attribution Share Alike 3.0 Unported", f"{_CC}/by-sa/3.0/"),
    "cc by sa 3.0 igo": ("CC-BY-SA-3.0-IGO", "Creative Commons Attribution-ShareAlike 3.0 IGO",
                         f"{_CC}/by-sa/3.0/igo/"),
    "cc by nc 4.0": ("CC-BY-NC-4.0", "Creative Commons Attribution Non Commercial 4.0 International",
                     f"{_CC}/by-nc/4.0/"),
    "cc by nd 4.0": ("CC-BY-ND-4.0", "Creative Commons Attribution No Derivatives 4.0 International",
                     f"{_CC}/by-nd/4.0/"),
    "cc by nc sa 4.0": ("CC-BY-NC-SA-4.0", "Creative Commons Attribution Non Commercial Share Alike 4.0 "
                        "International", f"{_CC}/by-nc-sa/4.0/"),
    "cc by nc nd 4.0": ("CC-BY-NC-ND-4.0", "Creative Commons Attribution Non Commercial No Derivatives 4.0 "
                        "International", f"{_CC}/by-nc-nd/4.0/"),
    "cc by nc nd 3.0 igo": ("CC-BY-NC-ND-3.0-IGO", "Creative Commons Attribution Non Commercial No Derivatives "
                            "3.0 IGO", f"{_CC}/by-nc-nd/3.0/igo/"),
    "cc0 1.0": ("CC0-1.0", "Creative Commons Zero v1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "odbl 1.0": ("ODbL-1.0", "Open Data Commons Open Database License v1.0",
                 "https://opendatacommons.org/licenses/odbl/1-0/"),
    "odc by 1.0": ("ODC-By-1.0", "Open Data Commons Attribution License v1.0",
                   "https://opendatacommons.org/licenses/by/1-0/"),
    "pddl 1.0": ("PDDL-1.0", "Open Data Commons Public Domain Dedication & License 1.0",
                 "https://opendatacommons.org/licenses/pddl/1-0/"),
    "ogl uk 3.0": ("OGL-UK-3.0", "Open Government Licence v3.0",
                   "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"),
    "ogl uk 2.0": ("OGL-UK-2.0", "Open Government Licence v2.0",
                   "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/2/"),
    "ogl canada 2.0": ("OGL-Canada-2.0", "Open Government Licence - Canada",
                       "https://open.canada.ca/en/open-government-licence-canada"),
    "dl de by 2.0": ("DL-DE-BY-2.0", "Data licence Germany – attribution – version 2.0",
                     "https://www.govdata.de/dl-de/by-2-0"),
    "etalab 2.0": ("etalab-2.0", "Etalab Open License 2.0",
                   "https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf"),
    "public domain": ("other-pd", "Public domain", None),
    "public domain us government work": ("other-pd", "Public domain (US government work)",
                                         "https://www.usa.gov/government-works"),
}
# Other words for the same licences (normalised, as _words gives them).
ALIASES = {
    "cc0": "cc0 1.0", "cc zero 1.0": "cc0 1.0", "cc zero": "cc0 1.0", "cc0 1.0 universal": "cc0 1.0",
    "cc publicdomain zero 1.0": "cc0 1.0",
    "odbl": "odbl 1.0", "open database 1.0": "odbl 1.0", "open database odbl 1.0": "odbl 1.0",
    "odc odbl 1.0": "odbl 1.0", "odc odbl": "odbl 1.0",
    "odc by": "odc by 1.0", "pddl": "pddl 1.0", "odc pddl 1.0": "pddl 1.0", "odc pddl": "pddl 1.0",
    "open data commons public domain dedication and 1.0": "pddl 1.0",
    "open government 3.0": "ogl uk 3.0", "ogl 3.0": "ogl uk 3.0", "ogl uk": "ogl uk 3.0",
    "open government 2.0": "ogl uk 2.0", "open government canada": "ogl canada 2.0",
    "open government canada 2.0": "ogl canada 2.0", "ouverte etalab 2.0": "etalab 2.0",
    "public domain us federal government work": "public domain us government work",
    "us government work": "public domain us government work",
    "us federal government work": "public domain us government work",
    "public domain us government": "public domain us government work",
    "public domain us federal government": "public domain us government work",
}
_WORDS = [  # applied in order to lower-cased text whose punctuation is already spaces
    (r"\bcreative commons\b", "cc"), (r"\battribution\b", "by"),
    (r"\bnon ?commercial\b", "nc"), (r"\bshare ?alike\b", "sa"), (r"\bno ?deriv(?:ative)?s\b", "nd"),
    (r"\bopen data commons\b", "odc"), (r"\bu\.? ?s\b\.?", "us"), (r"\bunited states\b", "us"),
    (r"\b(?:the|public|license|licence|international|unported|generic|version|deed|of|a)\b(?! domain)", " "),
    (r"\bv(?=\d)", ""), (r"(?<![\w.])(\d)(?![\w.])", r"\1.0"),
]


def _words(text: str) -> str:
    """Lower case, dashes/underscores/brackets/commas as spaces, the usual long forms shortened ('attribution' ->
    'by'), filler words dropped, bare major versions as 'N.0'."""
    words = re.sub(r"[\s\-‐-―_()\[\],:;/&]+", " ", text.lower().replace("cc-0", "cc0"))
    for pattern, repl in _WORDS:
        words = re.sub(pattern, repl, words)
    return " ".join(words.split())


def licence(text: str) -> dict:
    """The Frictionless `licenses` entry for a publisher's licence words: name (SPDX id), path, and title (the
    publisher's own words). Unknown words: name LicenseRef-<words> (SPDX's form for an unlisted licence), the
    words kept verbatim as title, and recognised false."""
    words = _words(text)
    half = words[: len(words) // 2]
    if words == f"{half} {half}":   # a long form with its short form: "... Attribution 4.0 (CC BY 4.0)"
        words = half
    known = KNOWN.get(ALIASES.get(words, words))
    if known is None:
        ref = re.sub(r"[^A-Za-z0-9.]+", "-", text.strip()).strip("-") or "unknown"
        return {"name": f"LicenseRef-{ref}", "title": text, "recognised": False}
    name, _, path = known
    return {"name": name, "title": text, **({"path": path} if path else {}), "recognised": True}
