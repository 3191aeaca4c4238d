"""feed.atom (docs/release.md): an Atom 1.0 feed of the sources a release brings and the figures they revised,
read back with xml.etree and checked against the release's own sources and revisions tables."""

from __future__ import annotations

import csv
import io
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from data_pipeline.publish import feed
from support import query, run_cli, write

NS = {"a": "http://www.w3.org/2005/Atom", "x": "http://www.w3.org/1999/xhtml"}
HOSTILE_TITLE = '<script>alert("title")</script> & Ministry \u202e<b>of</b>\x07 Tests'
HOSTILE_DESIGNATION = "<img src=x onerror=alert(2)> \x1b[31mRED\x1b[0m & \"co\""
NOTICE_HEADER = ("notice_id,designation,purpose,notifying_iso3,participating_iso3,notified_on,start_date,end_date,"
                 "troops,in_annual_calendar,area_name,lon,lat,location_precision,synthetic")
POLICY = """
[policy]
name = "feed test policy"

[[rule]]
id = "area"
dataset = "exercise_notices"
action = "drop"
fields = ["area_name"]
reason = "not under test"
"""


def _feed(release: Path) -> ET.Element:
    root = ET.parse(release / "feed.atom").getroot()
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    for name in ("id", "title", "updated", "author/a:name"):
        assert root.find(f"a:{name}", NS) is not None and root.find(f"a:{name}", NS).text, name
    return root


def _entries(root: ET.Element) -> list[dict]:
    """Each entry's id, title, updated, and for a revisions entry its table rows (header left out)."""
    entries = []
    for entry in root.findall("a:entry", NS):
        table = entry.find("a:content/x:div/x:table", NS)
        rows = [tuple(td.text or "" for td in tr.findall("x:td", NS)) for tr in table.findall("x:tr", NS)[1:]] \
            if table is not None else None
        entries.append({"id": entry.findtext("a:id", namespaces=NS), "title": entry.findtext("a:title", namespaces=NS),
                        "updated": entry.findtext("a:updated", namespaces=NS), "rows": rows,
                        "items": [li.text for li in entry.findall("a:content/x:div/x:ul/x:li", NS)]})
    return entries


def _cell(value, status, version) -> str:
    return f"{value if value is not None else f'({status})'} (v{version})"


def test_feed_matches_the_sources_and_revisions_tables(release_secret_inputs):
    s = release_secret_inputs
    root = _feed(s.release)
    release_id = json.loads((s.release / "release.json").read_text(encoding="utf-8"))["release_id"]
    db = s.release / "borderlens.duckdb"
    entries = _entries(root)
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids)) and all(i.startswith(f"tag:borderlens,2025:release/{release_id}/") for i in ids)
    assert {e["updated"] for e in entries} | {root.findtext("a:updated", namespaces=NS)} == {
        f"{s.publish_date}T00:00:00Z"}
    # a first release: every source is new, one entry each
    sources = query(db, "select source_id, version from sources")
    source_entries = [e for e in entries if e["rows"] is None]
    assert sorted(e["id"].rsplit("/source/", 1)[1] for e in source_entries) == sorted(r[0] for r in sources)
    assert sum("New version 2 of" in e["title"] for e in source_entries) == sum(v == 2 for _, v in sources) == 1
    # one entry per batch (dataset, new source) of the public revisions table, old value beside new
    revisions = query(db, "select dataset, new_source_id, record_key, field, old_value, new_value, old_status, "
                          "new_status, old_version, new_version from revisions")
    assert revisions, "the seeded inputs have a published revision: the test would prove nothing"
    batches: dict = {}
    for dataset, source_id, key, field, old, new, old_status, new_status, old_v, new_v in revisions:
        batches.setdefault(f"/revisions/{dataset}/{source_id}", set()).add(
            (key, field, _cell(old, old_status, old_v), _cell(new, new_status, new_v)))
    revision_entries = {e["id"].split(f"release/{release_id}", 1)[1]: set(e["rows"])
                        for e in entries if e["rows"] is not None}
    assert revision_entries == batches
    assert any(old.startswith("9700001") and new.startswith("9700002")
               for rows in revision_entries.values() for _, _, old, new in rows)
    # and nothing withheld slipped in: the old value that did not pass the policy is not in the feed
    assert b"412347" not in (s.release / "feed.atom").read_bytes()


def _notices(path: Path, designation: str, troops: str) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([
        NOTICE_HEADER.split(","),
        ["F-1", designation, "Field training", "EST", "EST", "2024-01-02", "2024-03-01", "2024-03-05", troops,
         "true", "Range", "25.95", "59.25", "exact", "true"],
        ["F-2", "Quiet", "Staff training", "EST", "EST", "2024-01-02", "2024-04-01", "2024-04-05", "900", "true",
         "Range", "25.95", "59.25", "exact", "true"]])
    write(path.with_name(path.name + ".meta.toml"),
          f"[source]\npublisher = \"Feed test ministry\"\ntitle = {json.dumps(HOSTILE_TITLE)}\n"
          f"series = \"feed-notices\"\nsynthetic = true\n")
    return write(path, buffer.getvalue())


def test_a_republished_source_brings_its_revisions_and_hostile_text_is_escaped(tmp_path: Path):
    inputs, work, out = tmp_path / "inputs", tmp_path / "work.duckdb", tmp_path / "release"
    inputs.mkdir()
    policy = write(tmp_path / "policy.toml", POLICY)
    env = {"BORDERLENS_PUBLISH_DATE": "2025-06-30"}
    run_cli("ingest", _notices(inputs / "notices_v1.csv", "Plain", "1200"), "--db", work)
    run_cli("publish", "--db", work, "--policy", policy, "--out", out, env=env)
    [first] = [e for e in _entries(_feed(out))]
    assert first["title"] == f"New source in exercise_notices: {HOSTILE_TITLE.replace(chr(7), chr(0xFFFD))}"

    run_cli("ingest", _notices(inputs / "notices_v2.csv", HOSTILE_DESIGNATION, "1300"), "--db", work)
    run_cli("publish", "--db", work, "--policy", policy, "--out", out, env=env)
    raw = (out / "feed.atom").read_bytes()
    entries = _entries(_feed(out))
    v2 = query(out / "borderlens.duckdb", "select source_id from sources where version = 2")[0][0]
    # only what is new since the release this one replaced: version 2 and the values it revised
    assert [e["id"].split("/", 2)[2] for e in entries] == [f"source/{v2}", f"revisions/exercise_notices/{v2}"]
    assert entries[0]["title"].startswith("New version 2 of feed-notices (exercise_notices): <script>")
    shown = HOSTILE_DESIGNATION.replace("\x1b", "\ufffd")  # XML 1.0 cannot carry ESC, even escaped
    assert sorted(entries[1]["rows"]) == [("F-1", "designation", "Plain (v1)", f"{shown} (v2)"),
                                          ("F-1", "troops", "1200 (v1)", "1300 (v2)")]
    assert b"<script" not in raw and b"<img" not in raw and b"&lt;script&gt;" in raw
    assert "\x1b" not in raw.decode("utf-8") and "\x07" not in raw.decode("utf-8")

    # the same content published again keeps its feed; a fresh folder lists every source, reproducibly
    run_cli("publish", "--db", work, "--policy", policy, "--out", out, env=env)
    assert (out / "feed.atom").read_bytes() == raw
    fresh = tmp_path / "fresh"
    run_cli("publish", "--db", work, "--policy", policy, "--out", fresh, env=env)
    assert len(_entries(_feed(fresh))) == 3
    again = tmp_path / "again"
    shutil.copytree(fresh, again)
    (again / "feed.atom").unlink()
    feed.write_release_feed(again)
    assert (again / "feed.atom").read_bytes() == (fresh / "feed.atom").read_bytes()
