"""No digest in a release confirms a guess of a withheld value (issue 15): the attacker rebuilds candidate input
files from the published rows and guessed hidden values, hashes them, and looks for the hashes anywhere in the
release; the release id and its table digests are recomputed from the published tables with each secret put
back. Every hash, truncated hash and keyed id the release holds (sources, release id, feed ids, datapackage) is in
the corpus searched. Positive controls: the rebuild gives the input's exact bytes, the recomputed release id
is found, and the hash of an input declared public is found."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
from datetime import date
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from support import query, run_cli, write
from test_app_release import release_dir  # noqa: F401

ALGORITHMS = ("md5", "sha1", "sha224", "sha256", "sha384", "sha512", "blake2b", "blake2s", "sha3_256")
WINDOW = 10  # hex digits: a truncated digest of 40 bits or more is found wherever it sits in a text


class Corpus:
    """Everything a release holds, as text (each file decoded, every text cell of its DuckDB and Parquet tables)
    and as raw bytes, indexed so that a digest can be looked up in all its usual forms."""

    def __init__(self, release: Path):
        self.files = sorted(p for p in release.rglob("*") if p.is_file())
        self.blobs = [p.read_bytes() for p in self.files]
        texts = [b.decode("utf-8", errors="ignore") for b in self.blobs]
        for path in self.files:
            texts += [str(v) for v in _text_cells(path)]
        self.text = "\n".join(texts)
        lowered = self.text.lower()
        self.hex_windows = {run[i:i + WINDOW] for run in re.findall(r"[0-9a-f]{%d,}" % WINDOW, lowered)
                            for i in range(len(run) - WINDOW + 1)}
        self.base64_starts = {run[i:i + 16] for run in re.findall(r"[A-Za-z0-9+/_-]{16,}", self.text)
                              for i in range(len(run) - 15)}

    def holds(self, digest: bytes) -> list[str]:
        """The forms of digest found: any 10-hex-digit piece of its hex, its first 8 raw bytes, its base64."""
        found = []
        text = digest.hex()
        pieces = {text[i:i + WINDOW] for i in range(len(text) - WINDOW + 1)}
        if pieces & self.hex_windows:
            found.append(f"hex {sorted(pieces & self.hex_windows)[0]}")
        if any(digest[:8] in blob for blob in self.blobs):
            found.append("raw bytes")
        for encoded in (base64.b64encode(digest), base64.urlsafe_b64encode(digest)):
            if encoded.decode()[:16] in self.base64_starts:
                found.append("base64")
        return found


def _text_cells(path: Path):
    if path.suffix == ".parquet":
        table = pq.read_table(path)
        for name in table.column_names:
            yield from (v for v in table.column(name).to_pylist() if isinstance(v, str))
    elif path.suffix == ".duckdb":
        con = duckdb.connect(str(path), read_only=True)
        try:
            for (table,) in con.execute("select table_name from duckdb_tables()").fetchall():
                for row in con.execute(f'select * from "{table}"').fetchall():
                    yield from (str(v) for v in row if isinstance(v, (str, list)))
        finally:
            con.close()


def digests_of(data: bytes) -> dict[str, bytes]:
    return {name: hashlib.new(name, data).digest() for name in ALGORITHMS}


def _leaks(corpus: Corpus, data: bytes) -> list[str]:
    return [f"{name}: {form}" for name, digest in digests_of(data).items() for form in corpus.holds(digest)]


@pytest.fixture(scope="module")
def corpus(release_secret_inputs) -> Corpus:
    return Corpus(release_secret_inputs.release)


# ---------------------------------------------------------------------------------------------- the attack


def _rebuild_bts(release_db: Path, source_id: str, guesses: dict) -> bytes:
    """The BTS file as an attacker writes it back from the published rows of one source, in source_line order,
    with guesses {source_line: text} for the values the release hides. The layout (header, border names,
    number forms) is the publisher's own and public."""
    rows = query(release_db, "select source_line, location_name, region_original, location_id, country_iso3, "
                             "neighbor_iso3, period_start, measure_original, value, lat, lon from crossings "
                             "where source_id = ? order by source_line", [source_id])
    borders = {("USA", "CAN"): "US-Canada Border", ("USA", "MEX"): "US-Mexico Border"}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Port Name", "State", "Port Code", "Border", "Date", "Measure", "Value", "Latitude",
                     "Longitude"])
    for line, name, state, location, country, neighbor, period, measure, value, lat, lon in rows:
        shown = guesses[line] if value is None else f"{value:.0f}"
        writer.writerow([name, state, location.split("-", 1)[1], borders[(country, neighbor)],
                         period.strftime("%b %Y"), measure, shown, repr(lat), repr(lon)])
    return out.getvalue().encode("utf-8")


def _current_bts(s) -> tuple[str, Path, dict]:
    """The current BTS source: its id in the release, its input file, and its true hidden cells by line."""
    [(public_id,)] = query(s.release / "borderlens.duckdb",
                           "select source_id from sources where profile = 'bts-border-crossings' and version = 2")
    [(work_id, sha256)] = query(s.work_db, "select source_id, sha256 from sources "
                                           "where profile = 'bts-border-crossings' and version = 2")
    hidden = query(s.release / "borderlens.duckdb", "select source_line, value_status from crossings "
                                                    "where source_id = ? and value is null", [public_id])
    truth = dict(query(s.work_db, "select source_line, value from crossings where source_id = ?", [work_id]))
    secrets = {line: ("(D)" if status == "withheld_by_publisher" else f"{truth[line]:.0f}")
               for line, status in hidden}
    return public_id, sha256, secrets


def test_the_hash_attack_recovers_nothing(release_secret_inputs, corpus):
    """The issue's attack: rebuild the BTS file from the published rows and guesses for its hidden cells, hash it,
    look for the hash in the release. The right guess gives the input's exact bytes (control), yet no form of its
    hash, nor of any wrong guess, is anywhere in the release."""
    s = release_secret_inputs
    public_id, sha256, secrets = _current_bts(s)
    suppressed = [line for line, text in secrets.items() if text != "(D)"]
    assert len(suppressed) >= 4, "the seeded small counts and their complements are hidden"
    right = _rebuild_bts(s.release / "borderlens.duckdb", public_id, secrets)
    assert hashlib.sha256(right).hexdigest() == sha256, "the rebuild is not byte-exact, so the attack proves nothing"
    candidates = [right]
    for line in suppressed:  # each hidden cell guessed one off, and the small counts at every value below 12
        for wrong in (int(secrets[line]) - 1, int(secrets[line]) + 1):
            candidates.append(_rebuild_bts(s.release / "borderlens.duckdb", public_id, {**secrets, line: str(wrong)}))
    small = [line for line in suppressed if int(secrets[line]) < 12]
    assert small, "a small count is among the hidden cells"
    for guess in range(12):
        candidates.append(_rebuild_bts(s.release / "borderlens.duckdb", public_id,
                                       {**secrets, **{line: str(guess) for line in small}}))
    assert len({hashlib.sha256(c).digest() for c in candidates}) == len(candidates)
    for candidate in candidates:
        assert not _leaks(corpus, candidate), f"a digest of a candidate file is in the release: {_leaks(corpus, candidate)}"


def test_no_digest_of_any_input_file_is_in_the_release(release_secret_inputs, corpus):
    """The attacker's best rebuild is the input itself: no hash of any input (in nine algorithms, as hex, raw
    bytes or base64, whole or truncated to 40 bits) is in the release, nor its size among the sources' figures."""
    s = release_secret_inputs
    inputs = sorted(p for p in (s.folder / "inputs").iterdir() if p.suffix == ".csv")
    assert len(inputs) == 5
    for path in inputs:
        assert not _leaks(corpus, path.read_bytes()), f"{path.name}: {_leaks(corpus, path.read_bytes())}"
    work_ids = [r[0] for r in query(s.work_db, "select source_id from sources")]
    assert not [i for i in work_ids if i in corpus.text], "a working source id (a prefix of a file hash) is published"
    sizes = {p.stat().st_size for p in inputs}
    db = s.release / "borderlens.duckdb"
    assert "bytes" not in {r[0] for r in query(db, "select column_name from duckdb_columns() "
                                                   "where table_name = 'sources'")}
    figures = {v for row in query(db, "select * from sources") for v in row if isinstance(v, int)}
    assert not sizes & figures, "a file size is among the published source figures"
    package = json.loads((s.release / "datapackage.json").read_text(encoding="utf-8"))
    assert all("bytes" not in src and "hash" not in src and "sha256" not in src for src in package["sources"])


def test_no_digest_of_a_secret_value_is_in_the_release(release_secret_inputs, corpus):
    s = release_secret_inputs
    forms = set(s.secret_texts)
    for number in s.secret_numbers:
        forms |= {repr(number), f"{number:.0f}", f"{number:.6f}"}
    for form in forms:
        assert not _leaks(corpus, form.encode("utf-8")), form


# ---------------------------------------------------------------------------------------------- the release id


def _table_digest(con, table: str) -> str:
    """The content digest docs/release.md describes: each row's DuckDB hash(), sorted into buckets by the hash modulo
    256, each bucket's hashes SHA-256'd as one comma-separated text, bucket digests combined in order."""
    rows = sorted(r[0] for r in con.execute(f'select hash(t) from "{table}" as t').fetchall())
    buckets: dict[int, list[int]] = {}
    for row in rows:
        buckets.setdefault(row % 256, []).append(row)
    combined = "".join(f"{b}:" + hashlib.sha256(",".join(map(str, h)).encode()).hexdigest()
                       for b, h in sorted(buckets.items()))
    return hashlib.sha256(combined.encode()).hexdigest()


def _release_id(con) -> tuple[str, list[str]]:
    tables = sorted(r[0] for r in con.execute(  # the tables publish derives from others (docs/release.md)
        "select table_name from duckdb_tables() where table_name not in ('release_info', 'crossing_months', "
        "'crossing_reporter_months', 'crossing_rankings', 'notices_chapter8')").fetchall())
    digests = [f"{t}:{_table_digest(con, t)}" for t in tables]
    [(text,)] = con.execute("select value from release_info where key = 'policy_text'").fetchall()
    full = hashlib.sha256("\n".join([text, *digests]).encode("utf-8")).hexdigest()
    return full, [d.split(":", 1)[1] for d in digests]


def _copy(release_db: Path, folder: Path) -> duckdb.DuckDBPyConnection:
    """A writable copy of the release's tables, for putting a secret back."""
    con = duckdb.connect(str(folder / "copy.duckdb"))
    con.execute("attach ? as rel (read_only)", [str(release_db)])
    for (table,) in con.execute("select table_name from duckdb_tables() where database_name = 'rel'").fetchall():
        con.execute(f'create table main."{table}" as select * from rel.main."{table}"')
    con.execute("detach rel")
    return con


def test_release_id_and_table_digests_confirm_no_secret(release_secret_inputs, corpus, tmp_path):
    """The release id is recomputed from the published tables alone (control: it is found in the release), then
    with each secret put back: every suppressed count at its true value, the input's file hash and working id in
    sources, the embargoed notice's line. None of these digests is anywhere in the release."""
    s = release_secret_inputs
    con = _copy(s.release / "borderlens.duckdb", tmp_path)
    try:
        full, tables = _release_id(con)
        released = json.loads((s.release / "release.json").read_text(encoding="utf-8"))["release_id"]
        assert full[:16] == released, "the release id is not a function of the published tables and policy alone"
        assert corpus.holds(bytes.fromhex(full)), "the search cannot find the release id: it is broken"
        public_id, sha256, secrets = _current_bts(s)
        variants = []
        for line, text in secrets.items():
            value = None if text == "(D)" else float(text)
            con.execute("update crossings set value = ?, value_status = 'reported' where source_id = ? "
                        "and source_line = ?", [value, public_id, line])
            variants.append(_release_id(con))
        [(work_id,)] = query(s.work_db, "select source_id from sources where sha256 = ?", [sha256])
        con.execute("update sources set sha256 = ?, source_id = ? where source_id = ?", [sha256, work_id, public_id])
        con.execute("update crossings set source_id = ? where source_id = ?", [work_id, public_id])
        variants.append(_release_id(con))
        for notice_id, line in query(s.work_db, "select notice_id, source_line from exercise_notices"):
            con.execute("update exercise_notices set source_line = ? where notice_id = ?", [line, notice_id])
        variants.append(_release_id(con))
    finally:
        con.close()
    assert len({v[0] for v in variants}) == len(variants)
    for whole, table_digests in variants:
        for digest in [whole, *table_digests]:
            if digest not in tables and digest != full:
                assert not corpus.holds(bytes.fromhex(digest)), f"digest {digest} with a secret is in the release"


def test_feed_and_datapackage_ids_are_the_public_ones(release_secret_inputs):
    """feed.atom and datapackage.json cite sources and the release only by the ids in the release's tables."""
    s = release_secret_inputs
    ids = {r[0] for r in query(s.release / "borderlens.duckdb", "select source_id from sources")}
    feed = (s.release / "feed.atom").read_text(encoding="utf-8")
    cited = set(re.findall(r"/source/([^<\s]+)</id>", feed))
    assert cited and cited <= ids
    package = json.loads((s.release / "datapackage.json").read_text(encoding="utf-8"))
    assert {src["source_id"] for src in package["sources"]} == ids
    assert "sha256" not in feed


# ---------------------------------------------------------------------------------------------- line numbers


def test_no_gap_shows_where_an_embargoed_row_sat(release_secret_inputs):
    s = release_secret_inputs
    db = s.release / "borderlens.duckdb"
    work = query(s.work_db, "select notice_id, source_line from exercise_notices order by source_line")
    assert dict(work)["N-EMBARGO"] == 4 and len(work) == 4
    published = query(db, "select notice_id, source_line from exercise_notices order by source_line")
    assert published == [("N-NEAR", 1), ("N-FAR", 2), ("N-WITHHELD", 3)]  # file order kept, numbered 1..n
    assert query(db, "select line_numbers from sources where dataset = 'exercise_notices'") == [("renumbered",)]
    # a source the release leaves whole keeps the lines of the file (control)
    assert query(db, "select source_line from infrastructure_projects order by 1") == \
        query(s.work_db, "select source_line from infrastructure_projects order by 1") == [(2,), (3,), (4,)]
    assert query(db, "select line_numbers from sources where dataset = 'infrastructure_projects'") == [("file",)]


# ---------------------------------------------------------------------------------------------- public inputs


PROJECT_HEADER = ("project_id,name,kind,status,country_iso3,countries_iso3,funders,budget,currency,planned_start,"
                  "planned_end,actual_start,actual_end,lon,lat,location_precision,description,synthetic")
EMBARGO_POLICY = """
[policy]
name = "oracle test policy"

[[rule]]
id = "projects-embargo"
dataset = "infrastructure_projects"
action = "embargo_days"
days = 30
reason = "new projects wait"
"""


def _projects(path: Path, prefix: str) -> Path:
    rows = [f"{prefix}-1,Old road,road,completed,USA,USA;MEX,Agency,5000000,USD,2022-01-01,2023-01-01,,,"
            "-99.509111,27.499222,exact,Road,true",
            f"{prefix}-2,New fence,barrier,planned,USA,USA,Works,7000000,USD,2025-06-20,2026-01-01,,,"
            "-106.451234,31.761234,near,Fence,true",
            f"{prefix}-3,Old bridge,bridge,completed,USA,USA;MEX,Agency,9000000,USD,2021-01-01,2022-01-01,,,"
            "-99.519111,27.509222,exact,Bridge,true"]
    return write(path, PROJECT_HEADER + "\n" + "\n".join(rows) + "\n")


def test_an_input_declared_public_is_cited_by_its_hash(tmp_path):
    """A sidecar's `public = true`: the file is public, so the release cites its plain hash and id and keeps its
    line numbers (the search finds that hash: control); the same rows in a file not declared public get neither."""
    public = _projects(tmp_path / "public.csv", "PUB")
    write(tmp_path / "public.csv.meta.toml", '[source]\nseries = "pub"\npublic = true\n')
    private = _projects(tmp_path / "private.csv", "PRV")
    write(tmp_path / "private.csv.meta.toml", '[source]\nseries = "prv"\n')
    policy = write(tmp_path / "policy.toml", EMBARGO_POLICY)
    db, release = tmp_path / "work.duckdb", tmp_path / "release"
    run_cli("ingest", public, private, "--db", db)
    key = tmp_path / "work.duckdb.key"
    assert key.stat().st_mode & 0o777 == 0o600 and re.fullmatch(r"[0-9a-f]{64}\n", key.read_text())
    run_cli("publish", "--db", db, "--policy", policy, "--out", release,
            env={"BORDERLENS_PUBLISH_DATE": date(2025, 6, 30).isoformat()})
    work = dict(query(db, "select file_name, source_id from sources"))
    sources = {r[0]: r[1:] for r in query(release / "borderlens.duckdb",
                                          "select file_name, source_id, sha256, public, line_numbers from sources")}
    digest = hashlib.sha256(public.read_bytes()).hexdigest()
    assert sources["public.csv"] == (work["public.csv"], digest, True, "file")
    private_id = sources["private.csv"][0]
    assert private_id != work["private.csv"] and sources["private.csv"][1:] == (None, False, "renumbered")
    lines = query(release / "borderlens.duckdb", "select project_id, source_line from infrastructure_projects "
                                                 "order by project_id")
    assert lines == [("PRV-1", 1), ("PRV-3", 2), ("PUB-1", 2), ("PUB-3", 4)]
    corpus = Corpus(release)
    assert corpus.holds(hashlib.sha256(public.read_bytes()).digest()), "the search cannot find a published hash"
    assert not _leaks(corpus, private.read_bytes())
    package = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    assert {s["source_id"]: s.get("sha256") for s in package["sources"]} == {work["public.csv"]: digest,
                                                                           private_id: None}


def test_the_operator_key_is_kept_and_checked(tmp_path):
    """Publishing twice with the key gives the same ids; a damaged key stops the publish in one line (exit 2)."""
    private = _projects(tmp_path / "private.csv", "PRV")
    policy = write(tmp_path / "policy.toml", EMBARGO_POLICY)
    db = tmp_path / "work.duckdb"
    run_cli("ingest", private, "--db", db)
    env = {"BORDERLENS_PUBLISH_DATE": "2025-06-30"}
    run_cli("publish", "--db", db, "--policy", policy, "--out", tmp_path / "r1", env=env)
    run_cli("publish", "--db", db, "--policy", policy, "--out", tmp_path / "r2", env=env)
    ids = "select source_id from sources"
    assert query(tmp_path / "r1" / "borderlens.duckdb", ids) == query(tmp_path / "r2" / "borderlens.duckdb", ids)
    write(tmp_path / "work.duckdb.key", "not a key\n")
    result = run_cli("publish", "--db", db, "--policy", policy, "--out", tmp_path / "r3", env=env, check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "work.duckdb.key" in result.stderr
    assert not (tmp_path / "r3").exists()


def test_a_sidecar_public_flag_must_be_true_or_false(tmp_path):
    path = _projects(tmp_path / "p.csv", "P")
    write(tmp_path / "p.csv.meta.toml", '[source]\npublic = "yes"\n')
    result = run_cli("ingest", path, "--db", tmp_path / "work.duckdb", check=False)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "public must be true or false" in result.stderr


def test_a_notice_shows_which_line_numbers_and_hash_it_cites(release_secret_inputs, tmp_path):
    """The notice detail says a renumbered line is not the file's own and that the hash of a file not declared
    public is not published, instead of showing a gap or an empty cell."""
    import shutil

    from data_pipeline.views.queries import Filters
    from data_pipeline.views.queries_notices import notice_detail

    # a copy: the app's cached connection attaches its macros to the file's DuckDB instance, shared in-process
    release = shutil.copytree(release_secret_inputs.release, tmp_path / "release")
    table, _, _ = notice_detail(str(release), Filters(), "N-WITHHELD")
    detail = dict(table[["field", "value"]].values)
    assert detail["Source: line in the file"].startswith("3 (among the published rows")
    assert detail["Source: SHA-256 of the file"] == "not published (the file is not declared public)"
    assert detail["Source: identifier"] == query(release_secret_inputs.release / "borderlens.duckdb",
                                                 "select source_id from exercise_notices "
                                                 "where notice_id = 'N-WITHHELD'")[0][0]


def test_the_demo_release_holds_no_digest_of_its_inputs(release_dir):
    """The demo release (sample_data and the hostile seeds under the demo policy): no digest of any input file
    in any form, no working source id; a source is renumbered exactly when the release leaves out rows of it
    (control: the search finds the release id, recomputed from the published tables)."""
    release = Path(release_dir)
    work = release.parent / "work.duckdb"
    corpus = Corpus(release)
    info = json.loads((release / "release.json").read_text(encoding="utf-8"))
    assert corpus.holds(bytes.fromhex(_release_id_of(release)[0])) and _release_id_of(release)[0][:16] == \
        info["release_id"]
    inputs = query(work, "select source_id, path, public from sources")
    assert len(inputs) >= 8 and any(public for *_, public in inputs) and not all(public for *_, public in inputs)
    for source_id, path, public in inputs:
        data = Path(path if Path(path).is_absolute() else Path(__file__).resolve().parent.parent / path).read_bytes()
        if public:   # declared public (Reveal's fence): its hash is published so a reader can check the file
            assert _leaks(corpus, data), f"{path}: a public input's digest is cited"
            continue
        assert not _leaks(corpus, data), f"{path}: {_leaks(corpus, data)}"
        assert source_id not in corpus.text, f"working id {source_id} is in the demo release"
    # a source is renumbered exactly when the release leaves out some of its current rows (it is not public)
    assert _row_counts(release / "borderlens.duckdb").keys() <= _row_counts(work).keys()
    released, working = _row_counts(release / "borderlens.duckdb"), _row_counts(work)
    for key, lines in query(release / "borderlens.duckdb", "select series_id || '/' || version, line_numbers "
                                                           "from sources"):
        left_out = released.get(key, 0) < working.get(key, 0)
        assert lines == ("renumbered" if left_out else "file"), key


ROWS_PER_SOURCE = """
select s.series_id || '/' || s.version, count(*)
from (select source_id from crossings union all select source_id from exercise_notices
      union all select source_id from infrastructure_projects) as r
join sources as s using (source_id)
group by all
"""


def _row_counts(db: Path) -> dict[str, int]:
    return dict(query(db, ROWS_PER_SOURCE))


def _release_id_of(release: Path) -> tuple[str, list[str]]:
    con = duckdb.connect(str(release / "borderlens.duckdb"), read_only=True)
    try:
        return _release_id(con)
    finally:
        con.close()
