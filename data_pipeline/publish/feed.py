"""feed.atom: an Atom 1.0 change feed of a release — the sources it brings (new, or a new version of a series)
and the published figures those sources revised, old value beside new.

Built with xml.etree from the release's own public tables, so every text is escaped and nothing withheld can be
in it; its only date is the publish date, never the clock, so the same release gives the same bytes.
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import duckdb

from data_pipeline.db import connect, sql
from data_pipeline.errors import UserError

ATOM = "http://www.w3.org/2005/Atom"
XHTML = "http://www.w3.org/1999/xhtml"
TAG = "tag:borderlens,2025:"  # RFC 4151: fixed, so that an entry's id depends on the release and source only
REVISION_ROWS = 100  # per entry; the rest are in the release's revisions table and extracts
SOURCE_KEYS = ("source_id", "series_id", "dataset", "publisher", "title", "url", "licence", "file_name", "sha256",
               "version", "synthetic", "rows_read", "rows_loaded", "rows_quarantined")
REVISION_KEYS = ("dataset", "new_source_id", "new_version", "record_key", "field", "old_value", "new_value",
                 "old_status", "new_status", "old_version", "batch_rows")
# Characters XML 1.0 cannot carry even escaped (controls other than tab, LF, CR; surrogates; U+FFFE/FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def write_release_feed(folder: Path, previous: Path | None = None) -> None:
    """folder/feed.atom for the release in folder, from its database alone; previous is the release it replaces
    (None: a first release, every source is new). The same content published again keeps the previous feed."""
    out = folder / "feed.atom"
    con = connect(folder / "borderlens.duckdb", read_only=True)
    try:
        info = dict(con.execute(sql("release/feed_release_info")).fetchall())
        if previous is not None and _release_id(previous) == info["release_id"] and (previous / "feed.atom").is_file():
            shutil.copyfile(previous / "feed.atom", out)
            return
        known = _source_ids(previous) if previous is not None else set()
        sources = [dict(zip(SOURCE_KEYS, row)) for row in con.execute(sql("release/feed_sources")).fetchall()]
        sources = [s for s in sources if s["source_id"] not in known]
        revisions = [dict(zip(REVISION_KEYS, row)) for row in con.execute(
            sql("release/feed_revisions"),
            {"sources": [s["source_id"] for s in sources], "limit": REVISION_ROWS}).fetchall()]
    finally:
        con.close()
    out.write_bytes(feed_xml(info, sources, revisions))


def _release_id(folder: Path) -> str | None:
    try:
        return json.loads((folder / "release.json").read_text(encoding="utf-8")).get("release_id")
    except (OSError, ValueError, AttributeError):
        return None


def _source_ids(folder: Path) -> set[str]:
    """The sources of the release being replaced; an unreadable one counts as none (every source is new)."""
    try:
        con = connect(folder / "borderlens.duckdb", read_only=True)
    except (UserError, duckdb.Error):
        return set()
    try:
        return {r[0] for r in con.execute(sql("release/feed_previous_sources")).fetchall()}
    except duckdb.Error:
        return set()
    finally:
        con.close()


# ---------------------------------------------------------------------------------------------- the XML


def feed_xml(info: dict, sources: list[dict], revisions: list[dict]) -> bytes:
    """The Atom document: one entry per source, each followed by the entry for the revisions it brought.
    info: the release_info table's release_id, created and policy_name."""
    release_id, updated = info["release_id"], f"{info['created']}T00:00:00Z"
    feed = ET.Element("feed", xmlns=ATOM)  # default namespaces as attributes: no prefixes, nothing registered
    _text(feed, "id", f"{TAG}release/{_tag(release_id)}")
    _text(feed, "title", f"borderlens release {release_id}: new sources and revised figures")
    _text(feed, "subtitle", f"Sources new in this release (or new versions of a series) and the published values "
                            f"they revised. Release {release_id} of {info['created']}, policy "
                            f"'{info.get('policy_name', '')}'.")
    _text(feed, "updated", updated)
    _text(ET.SubElement(feed, "author"), "name", "borderlens")
    _text(feed, "generator", "borderlens")
    batches: dict[tuple[str, str], list[dict]] = {}
    for row in revisions:
        batches.setdefault((row["dataset"], row["new_source_id"]), []).append(row)
    for source in sources:
        feed.append(_source_entry(source, release_id, updated))
        batch = batches.get((source["dataset"], source["source_id"]))
        if batch:
            feed.append(_revisions_entry(source, batch, release_id, updated))
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _source_entry(s: dict, release_id: str, updated: str) -> ET.Element:
    name = s["title"] or s["file_name"] or s["source_id"]
    if s["version"] and s["version"] > 1:
        title = f"New version {s['version']} of {s['series_id']} ({s['dataset']}): {name}"
    else:
        title = f"New source in {s['dataset']}: {name}"
    entry = _entry(f"{TAG}release/{_tag(release_id)}/source/{_tag(s['source_id'])}", title, updated, s["dataset"])
    if s["publisher"]:
        _text(ET.SubElement(entry, "author"), "name", s["publisher"])
    if s["url"] and re.match(r"https?://", s["url"], re.I):
        ET.SubElement(entry, "link", rel="related", href=_clean(s["url"]))
    rows = f"read {s['rows_read']}, loaded {s['rows_loaded']}, quarantined {s['rows_quarantined']}"
    _text(entry, "summary", f"{s['publisher'] or 'Unknown publisher'}, {s['licence'] or 'licence not stated'}; "
                            f"rows {rows}{'; SYNTHETIC demo data' if s['synthetic'] else ''}.", type="text")
    items = [("dataset", s["dataset"]), ("source id", s["source_id"]), ("series", s["series_id"]),
             ("version", s["version"]), ("publisher", s["publisher"]), ("title", s["title"]),
             ("licence", s["licence"]), ("address", s["url"]), ("file", s["file_name"]), ("sha256", s["sha256"]),
             ("rows", rows), ("synthetic", "yes" if s["synthetic"] else "no")]
    ul = ET.SubElement(_xhtml_content(entry), "ul")
    for label, value in items:
        if value is not None:
            ET.SubElement(ul, "li").text = _clean(f"{label}: {value}")
    return entry


def _revisions_entry(s: dict, batch: list[dict], release_id: str, updated: str) -> ET.Element:
    total = batch[0]["batch_rows"]
    title = f"{total} revised value{'s' if total != 1 else ''} in {s['dataset']} (version {s['version']} of " \
            f"{s['series_id']})"
    entry = _entry(f"{TAG}release/{_tag(release_id)}/revisions/{_tag(s['dataset'])}/{_tag(s['source_id'])}",
                   title, updated, s["dataset"])
    _text(entry, "summary", f"Version {s['version']} of {s['series_id']} changed {total} published "
                            f"value{'s' if total != 1 else ''} of earlier versions.", type="text")
    div = _xhtml_content(entry)
    table = ET.SubElement(div, "table")
    head = ET.SubElement(table, "tr")
    for label in ("record", "field", "old value", "new value"):
        ET.SubElement(head, "th").text = label
    for row in batch:
        tr = ET.SubElement(table, "tr")
        cells = (row["record_key"], row["field"], _value(row["old_value"], row["old_status"], row["old_version"]),
                 _value(row["new_value"], row["new_status"], row["new_version"]))
        for cell in cells:
            ET.SubElement(tr, "td").text = _clean(cell)
    if total > len(batch):
        ET.SubElement(div, "p").text = (f"and {total - len(batch)} more: see the revisions table of the release "
                                            f"(borderlens.duckdb).")
    return entry


def _value(value, status, version) -> str:
    shown = value if value is not None else f"({status or 'empty'})"
    return f"{shown} (v{version})" if version is not None else shown


# ---------------------------------------------------------------------------------------------- helpers


def _clean(text) -> str:
    """Text XML can carry: characters it cannot hold even escaped become U+FFFD (escaping is etree's job)."""
    return _NOT_XML.sub("\ufffd", str(text))


def _tag(text) -> str:
    """A piece of a tag: URI (RFC 4151 specific part): anything outside its characters percent-encoded."""
    return quote(str(text), safe=":@!$&'()*+,;=-._~")


def _text(parent: ET.Element, name: str, text: str, **attrs) -> ET.Element:
    """An Atom text element (escaped by etree when written)."""
    element = ET.SubElement(parent, name, attrs)
    element.text = _clean(text)
    return element


def _entry(entry_id: str, title: str, updated: str, dataset: str) -> ET.Element:
    entry = ET.Element("entry")
    _text(entry, "id", entry_id)
    _text(entry, "title", title, type="text")
    _text(entry, "updated", updated)
    ET.SubElement(entry, "category", term=dataset)
    return entry


def _xhtml_content(entry: ET.Element) -> ET.Element:
    content = ET.SubElement(entry, "content", type="xhtml")
    return ET.SubElement(content, "div", xmlns=XHTML)
