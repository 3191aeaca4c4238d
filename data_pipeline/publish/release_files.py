"""The files of a release folder: borderlens.duckdb, then what is derived from it alone (extracts,
datapackage.json, feed.atom), redactions.json, release.json, and last digests.json (every other file's SHA-256).

The public database is written first and everything else is read back from it, so no other file can hold a
value the database does not.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from data_pipeline.publish import policy as policies
from data_pipeline.datasets import CHAPTER8_IDS, PEOPLE_MEASURES
from data_pipeline.db import APP_MACROS, sql
from data_pipeline.publish.operator_key import public_id
from data_pipeline.publish.release_format import FORMAT_KEY, RELEASE_FORMAT
from data_pipeline.publish.release_sql import DATASETS, REFERENCE_TABLES, checked, run

# The release's tables besides the datasets and the reference tables (conflicting_figures since issue 11,
# dimension_codes since issue 10's labels, crossing_series for the app's coverage of a few years).
PUBLIC_TABLES = ("sources", "revisions", "redactions", "conflicting_figures", "dimension_codes", "crossing_series",
                 "crossing_months", "crossing_reporter_months", "crossing_rankings", "notices_chapter8")
# Tables the publish derives from other public tables by its own SQL (crossing_months, crossing_reporter_months and
# crossing_rankings from crossings; notices_chapter8 from exercise_notices and vd_thresholds): counted in release.json
# but left out of the release id, which the tables they come from already fix (at 10M figures, hashing
# crossing_months took 20 s with the JSON row digests of stop 32, about 4 s with table_digest.sql now). borderlens
# verify still checks their row counts and the file's digest.
DERIVED_TABLES = ("crossing_months", "crossing_reporter_months", "crossing_rankings", "notices_chapter8")
# The release's rows in the order of their period where the app filters by it, then of their series and of the
# working database (_rid: each row's place in it), a stable order that sorts on three numbers (at 10M figures, the
# order of all columns took 22 s).
ROW_ORDER = {"crossings": "period_start, series_key, _rid"}
# What a dataset's public table is read from: crossings from the view that gives each figure its series key.
PUBLIC_SOURCE = {"crossings": "_crossings_keyed"}
# The label of a code beyond a dimension's code list (ISO 3166) whose meaning the profile does not give: borderlens
# does not guess what a publisher's own code means.
BEYOND_LIST = "not a country code (publisher's own)"


def write_release_files(con, folder: Path, policy: policies.Policy, created: date, redactions: list[dict],
                        references: list[str], key: bytes, previous: Path | None = None,
                        audit: dict | None = None) -> dict:
    """Everything in the build folder; previous is the release being replaced (the feed's baseline); audit the
    suppression audit's figures (published without the exact narrowest interval: see public_audit)."""
    from data_pipeline.export import extracts
    from data_pipeline.publish import feed
    from data_pipeline.publish.verify import write_digests

    audit = public_audit(audit)
    info = write_database(con, folder / "borderlens.duckdb", policy, created, redactions, references, key, audit)
    hashed = extracts.write_release_extracts(folder, info)
    feed.write_release_feed(folder, previous)
    write_json(folder / "redactions.json", {"release_id": info["release_id"], "created": created.isoformat(),
                                            "policy": policy.name, "redactions": redactions,
                                            "suppression_audit": audit})
    write_json(folder / "release.json", {
        "release_id": info["release_id"], "created": created.isoformat(), FORMAT_KEY: RELEASE_FORMAT,
        "row_counts": info["row_counts"],
        "policy": {"name": policy.name, "file": Path(policy.path).name,
                   "rules": [r.id for r in policy.rules], "text": policy.plain_text()},
    })
    write_digests(folder, info["release_id"], hashed)  # last: the size and SHA-256 of every file, for `borderlens verify`
    return info


def public_audit(audit: dict | None) -> dict | None:
    """The audit's figures a release may hold: counts and the guarantee met, never the exact narrowest interval
    (with the margins, interval width / share would give that cell's value back) nor operator paths."""
    if audit is None:
        return None
    keys = ("cells", "primaries", "secondaries", "primaries_published_before", "unprotectable", "protection_percent",
            "passed")
    return {**{k: audit[k] for k in keys}, "narrowest_interval_share_at_least": 2 * audit["protection_percent"] / 100,
            "audited_with_previous_release": audit["previous_release"] is not None}


def store_derived_tables(con) -> None:
    """The release's crossing_months (sql/release/crossing_months_insert.sql), its series' counted sums
    (crossing_series_counted.sql), its sums per reporter and month (crossing_reporter_months_insert.sql) and the
    Ranking's default answer for each measure choice (crossing_rankings_insert.sql: each measure, and the people
    measures) and Chapter VIII's counts per notifying state and year (notices_chapter8_create.sql), all by the app's
    own macros run against the new release: a cursor of its own reads the release as its default catalog (the
    macros name the release's tables unqualified), and the macros' in-memory catalog is gone afterwards."""
    con.execute(sql("release/crossing_months_create"))
    con.execute(sql("release/crossing_reporter_months_create"))
    con.execute(sql("release/crossing_rankings_create"))
    release = con.cursor()
    try:
        release.execute("use pub")
        release.execute("attach ':memory:' as macros (read_write)")
        try:
            for name in APP_MACROS:
                release.execute(sql(name))
            release.execute(sql("release/crossing_months_insert"))
            release.execute(sql("release/crossing_series_counted"))
            release.execute(sql("release/crossing_reporter_months_insert"))
            measures = [row[0] for row in release.execute(sql("release/crossing_months_measures")).fetchall()]
            people = [list(PEOPLE_MEASURES)] if set(PEOPLE_MEASURES) & set(measures) else []
            for chosen in [[m] for m in measures] + people:
                release.execute(sql("release/crossing_rankings_insert"), {"measures": chosen})
            release.execute(sql("release/notices_chapter8_create"), {"ids_stored": CHAPTER8_IDS})
        finally:
            release.execute("detach macros")
    finally:
        release.close()


def write_json(path: Path, payload) -> None:
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


def public_source_ids(con, key: bytes) -> None:
    """The scratch table _source_ids: each source's id in the release. An input declared public keeps its id (a
    prefix of its file hash); any other is cited by an HMAC of its file hash under the operator key, which stays
    with the working database, so no digest in the release can confirm a guess of a value it withheld."""
    ids, public_ids = [], []
    for source_id, profile, sha256, public in con.execute(sql("release/source_keys")).fetchall():
        ids.append(source_id)
        public_ids.append(source_id if public else public_id(key, profile, sha256))
    con.execute(sql("release/source_ids_create"), {"source_ids": ids, "public_ids": public_ids})


def write_database(con, path: Path, policy: policies.Policy, created: date, redactions: list[dict],
                   references: list[str], key: bytes, audit: dict | None = None) -> dict:
    """Create the release database from redacted tables only, compute the content id, and close it."""
    con.execute(sql("release/redactions_create"))
    for row in redactions:
        con.execute(sql("release/redactions_insert"), row)
    con.execute(sql("release/attach_public"), {"path": str(path)})
    try:
        public_source_ids(con, key)
        con.execute(sql("release/crossings_series_key"))
        con.execute(sql("release/crossings_keyed"))
        for table in DATASETS:
            run(con, "release/public_dataset", table=checked(table, DATASETS), row_order=ROW_ORDER.get(table, "all"),
                source=PUBLIC_SOURCE.get(table, table))
        for table in references:
            run(con, "release/public_table", table=checked(table, REFERENCE_TABLES))
        con.execute(sql("release/public_sources"))
        con.execute(sql("release/public_revisions"))
        con.execute(sql("release/public_conflicting_figures"))
        con.execute(sql("release/public_dimension_codes"), {"beyond_list": BEYOND_LIST})
        con.execute(sql("release/public_redactions"))
        con.execute(sql("release/public_crossing_series"))
        store_derived_tables(con)
        digests, row_counts = [], {}
        for table in sorted((*DATASETS, *references, *PUBLIC_TABLES)):
            if table in DERIVED_TABLES:
                row_counts[table] = int(run(con, "release/table_count", table=table)[0][0])
                continue
            digest, count = run(con, "release/table_digest", table=table)[0]
            digests.append(f"{table}:{digest}")
            row_counts[table] = int(count)
        text = policy.plain_text()
        release_id = hashlib.sha256("\n".join([text, *digests]).encode("utf-8")).hexdigest()[:16]
        keys = ["release_id", "created", "policy_name", "policy_text", FORMAT_KEY]
        values = [release_id, created.isoformat(), policy.name, text, str(RELEASE_FORMAT)]
        if audit is not None:
            keys, values = keys + ["suppression_audit"], values + [json.dumps(audit, sort_keys=True)]
        con.execute(sql("release/release_info"), {"keys": keys, "values": values})
        con.execute(sql("release/checkpoint_public"))
    finally:
        con.execute(sql("release/detach_public"))
    return {"release_id": release_id, "row_counts": row_counts, "created": created.isoformat(),
            "policy_name": policy.name, "database": path}
