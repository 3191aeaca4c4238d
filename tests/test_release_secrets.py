"""A protected value is in no byte of a release: seeded secrets are searched in every file of the release folder,
as text and as binary numbers, and in every cell of its DuckDB and Parquet files; positive controls show that
the same search finds what is published. No suppressed crossing count can be recovered from margin totals. The
operator key and the inputs' file hashes are secrets too (functions of protected bytes: test_release_oracles.py
tries them as oracles)."""

from __future__ import annotations

import csv
import json
import math
import struct

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from support import query


def _files(release):
    files = sorted(p for p in release.rglob("*") if p.is_file())
    assert {p.name for p in files} >= {"borderlens.duckdb", "datapackage.json", "redactions.json", "release.json",
                                       "crossings.csv", "crossings.parquet", "exercise_notices.geojson"}
    return files


def _distinctive(v: float) -> bool:
    """Numbers whose text or bytes cannot turn up by chance (small integers such as 7 are checked per cell)."""
    return not float(v).is_integer() or abs(v) >= 1000


def _text_forms(v: float, database: bool = False) -> set[bytes]:
    """The ways a number is written. Not in a DuckDB file: a 5-decimal form there could be any border vertex."""
    if float(v).is_integer():
        i = int(v)
        forms = {str(i), f"{i:,}", f"{i}.0", f"{i:,}".replace(",", " ")}
        if abs(i) >= 1_000_000:  # 1.234.567; a shorter 41.234 is every other coordinate of the borders table
            forms.add(f"{i:,}".replace(",", "."))
    else:
        forms = {repr(v), f"{v:.6f}"} | (set() if database else {f"{v:.5f}"})
    return {f.encode() for f in forms}


def _binary_forms(v: float) -> set[bytes]:
    forms = {struct.pack("<d", v), struct.pack("<f", v)}
    if float(v).is_integer():
        forms |= {struct.pack("<q", int(v))}
        if abs(v) < 2**31:
            forms.add(struct.pack("<i", int(v)))
    return forms


def _found_in_bytes(files, needles) -> list[str]:
    """needles: bytes, or a function of 'is this a DuckDB file' giving the bytes to look for."""
    hits = []
    for path in files:
        data = path.read_bytes()
        wanted = needles(path.suffix == ".duckdb") if callable(needles) else needles
        hits += [f"{path.name}: {n!r}" for n in wanted if n in data]
    return hits


def test_no_secret_in_any_byte_of_the_release(release_secret_inputs):
    s = release_secret_inputs
    files = _files(s.release)
    for text in s.secret_texts:
        assert not _found_in_bytes(files, {text.encode("utf-8")}), f"secret text {text!r} is in the release"
    for number in filter(_distinctive, s.secret_numbers):
        hits = _found_in_bytes(files, lambda database, n=number: _text_forms(n, database) | _binary_forms(n))
        assert not hits, f"secret number {number!r} is in the release: {hits}"
    # positive controls: the same search finds published values, so it can fail
    for text in s.control_texts:
        assert _found_in_bytes(files, {text.encode("utf-8")}), f"control {text!r} not found: the search is broken"
    for number in s.control_numbers:
        assert _found_in_bytes(files, _text_forms(number)), f"control {number!r} not found as text"


def test_no_operator_key_file_hash_or_working_id_in_any_byte(release_secret_inputs):
    s = release_secret_inputs
    files = _files(s.release)
    key = (s.work_db.with_name(s.work_db.name + ".key")).read_text(encoding="ascii").strip()
    assert len(key) == 64
    sources = query(s.work_db, "select source_id, sha256 from sources")
    needles = {key.encode(), bytes.fromhex(key), bytes.fromhex(key)[:8]}
    for source_id, sha256 in sources:
        needles |= {source_id.encode(), sha256.encode(), sha256[:12].encode(), bytes.fromhex(sha256)[:8]}
    hits = _found_in_bytes(files, needles)
    assert not hits, f"the operator key, a file hash or a working source id is in the release: {hits}"
    # control: the public ids and the release id are found by the same search
    public = [r[0] for r in query(s.release / "borderlens.duckdb", "select source_id from sources")]
    release_id = json.loads((s.release / "release.json").read_text(encoding="utf-8"))["release_id"]
    assert len(_found_in_bytes(files, {release_id.encode()})) >= 3  # release.json, datapackage.json, feed.atom
    assert all(_found_in_bytes(files, {i.encode()}) for i in public)
    assert not {r[0] for r in sources} & set(public)


def _cells(path):
    """Every cell of every table of a DuckDB or Parquet file, as (table, column, value)."""
    if path.suffix == ".parquet":
        table = pq.read_table(path)
        for name in table.column_names:
            for value in table.column(name).to_pylist():
                yield path.name, name, value
        return
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()]
        for table in tables:
            frame = con.execute(f'select * from "{table}"').fetchall()
            names = [d[0] for d in con.execute(f'select * from "{table}" limit 0').description]
            for row in frame:
                for name, value in zip(names, row):
                    yield table, name, value
    finally:
        con.close()


class _Needles:
    """Texts and numbers to look for in cells: numbers by value in numeric cells, by their text in text cells."""

    def __init__(self, texts, numbers, database: bool):
        self.numbers = list(numbers)
        self.texts = {text: text for text in texts}  # needle -> what it stands for
        self.texts.update({f.decode(): repr(n) for n in self.numbers for f in _text_forms(n, database)})

    def match(self, value) -> str | None:
        if value is None:
            return None
        if isinstance(value, (list, tuple)):
            return next((m for v in value if (m := self.match(v))), None)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return next((repr(n) for n in self.numbers if math.isclose(float(value), n, abs_tol=1e-7)), None)
        text = str(value)
        return next((name for needle, name in self.texts.items() if needle in text), None)


def test_no_secret_in_any_cell_of_the_database_or_parquet(release_secret_inputs):
    s = release_secret_inputs
    structured = [p for p in _files(s.release) if p.suffix in (".duckdb", ".parquet")]
    numbers = [n for n in s.secret_numbers if _distinctive(n)]
    found_controls = set()
    for path in structured:
        secrets = _Needles(s.secret_texts, numbers, path.suffix == ".duckdb")
        controls = _Needles(s.control_texts, s.control_numbers, path.suffix == ".duckdb")
        for table, column, value in _cells(path):
            hit = secrets.match(value)
            assert hit is None, f"{path.name} {table}.{column} holds secret {hit}: {value!r}"
            found_controls.add(controls.match(value))
    missing = set(s.control_texts) - found_controls
    assert not missing, f"controls not found in any cell, so the search is broken: {missing}"
    assert {repr(n) for n in s.control_numbers} <= found_controls


def test_small_counts_are_empty_in_every_format(release_secret_inputs):
    s = release_secret_inputs
    small = query(s.work_db, "select location_id, reporter_iso3, period_start::varchar, measure, value "
                             "from crossings where value < ?", [s.k])
    assert {v for *_, v in small} >= {7.0, 3.0, 479311.0, 318775.0, 488881.0}
    keys = {tuple(map(str, k[:4])) for k in small}
    with open(s.release / "extracts" / "crossings.csv", encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle)
                if (r["location_id"], r["reporter_iso3"], r["period_start"], r["measure"]) in keys]
    parquet = pq.read_table(s.release / "extracts" / "crossings.parquet").to_pylist()
    parquet = [r for r in parquet
               if (r["location_id"], r["reporter_iso3"], str(r["period_start"]), r["measure"]) in keys]
    features = json.loads((s.release / "extracts" / "crossings.geojson").read_text(encoding="utf-8"))["features"]
    geo = [f["properties"] for f in features
           if (f["properties"]["location_id"], f["properties"]["reporter_iso3"], f["properties"]["period_start"],
               f["properties"]["measure"]) in keys]
    for found in (rows, parquet, geo):
        assert len(found) == len(keys)
        assert all(r["value"] in ("", None) and r["value_status"] == "suppressed" for r in found), found


MARGINS = {  # the margins docs/policy.md promises, written out independently of the release code
    "place x period x measure": ["location_id", "period_start", "period_granularity", "measure"],
    "place x period": ["reporter_iso3", "reporter_org", "location_id", "direction", "period_start",
                       "period_granularity"],
    "border x period x measure": ["reporter_iso3", "reporter_org", "country_iso3", "neighbor_iso3", "direction",
                                  "period_start", "period_granularity", "measure"],
    "place x year x measure": ["reporter_iso3", "reporter_org", "location_id", "direction", "measure",
                               "period_granularity", "year"],
}
KEY = ["reporter_iso3", "reporter_org", "location_id", "direction", "period_start", "period_granularity", "measure"]


def _crossings(db) -> pd.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        frame = con.execute("select *, year(period_start) as year from crossings").df()
    finally:
        con.close()
    return frame


def _recovered(truth: pd.DataFrame, published: pd.Series, hidden: pd.Series) -> list[str]:
    """Every value an attacker gets by subtracting the published cells of a margin from its true total
    (publisher-withheld cells carry a true value the attacker does not know); the hidden cells it equals."""
    true_value = truth["value"].where(truth["value_status"] != "withheld_by_publisher", 555_555.0).fillna(0.0)
    frame = truth.assign(true_value=true_value, published=published.fillna(0.0), hidden=hidden)
    found = []
    for name, columns in MARGINS.items():
        for _, group in frame.groupby(columns, dropna=False):
            if len(group) < 2:
                continue  # a "margin" of one cell is the cell itself
            residual = group["true_value"].sum() - group["published"].sum()
            for _, cell in group[group["hidden"]].iterrows():
                if abs(residual - cell["true_value"]) < 0.5:
                    found.append(f"{name}: {cell['location_id']} {cell['period_start']} {cell['measure']} "
                                 f"= {cell['true_value']}")
    return found


def test_no_suppressed_cell_can_be_recovered_from_any_margin(release_secret_inputs):
    s = release_secret_inputs
    truth = _crossings(s.work_db).sort_values(KEY, na_position="last").reset_index(drop=True)
    public = _crossings(s.release / "borderlens.duckdb")
    public = truth[KEY].merge(public[KEY + ["value", "value_status"]], on=KEY, how="left", validate="one_to_one")
    suppressed = public["value_status"] == "suppressed"
    assert suppressed.sum() > 4, "the seeded small cells and their complements are suppressed"
    assert _recovered(truth, public["value"], suppressed) == []
    # control: with primary suppression only (no complements), the same attack gives small cells back
    primary = truth["value"] < s.k
    naive = truth["value"].where(~primary)
    assert _recovered(truth, naive, primary), "the attack is too weak to show anything"


def test_release_database_was_written_once(release_secret_inputs):
    s = release_secret_inputs
    assert not list(s.release.glob("*.wal"))
    con = duckdb.connect(str(s.release / "borderlens.duckdb"), read_only=True)
    try:
        [size] = con.execute("select total_blocks, used_blocks, free_blocks from pragma_database_size()").fetchall()
    finally:
        con.close()
    assert size[2] == 0 and size[0] == size[1], f"free blocks in the release database: {size}"


def test_publisher_withheld_values_stay_null_never_zero(release_secret_inputs):
    db = release_secret_inputs.release / "borderlens.duckdb"
    assert query(db, "select troops, troops_status, designation from exercise_notices where notice_id = 'N-WITHHELD'") \
        == [(None, "withheld_by_publisher", "NEIGHBOUR-OF-WITHHELD-QZ")]
    assert query(db, "select budget, budget_status from infrastructure_projects where project_id = 'P-WITHHELD'") \
        == [(None, "withheld_by_publisher")]
    assert query(db, "select value, value_status from crossings where location_id = 'USA-0102' "
                     "and period_start = '2024-03-01' and measure = 'trucks'") == [(None, "withheld_by_publisher")]
    counts = query(db, "select dataset, field, sum(rows_affected) from redactions "
                       "where action = 'withheld_by_publisher' group by all order by all")
    assert counts == [("crossings", "value", 1), ("exercise_notices", "troops", 1),
                      ("infrastructure_projects", "budget", 1)]


def test_coarsened_location_is_the_cell_not_the_place(release_secret_inputs):
    import h3
    from shapely.geometry import Point, shape

    db = release_secret_inputs.release / "borderlens.duckdb"
    [(lat, lon, precision, cell, area, name, distance)] = query(
        db, "select lat, lon, location_precision, location_cell_geojson, area_geojson, area_name, "
            "distance_to_border_km from exercise_notices where notice_id = 'N-NEAR'")
    index = h3.latlng_to_cell(60.712345, 27.623456, 5)
    assert precision == "h3_5" and area == cell
    assert (lat, lon) == tuple(round(c, 5) for c in h3.cell_to_latlng(index))
    polygon = shape(json.loads(cell))
    assert polygon.contains(Point(27.623456, 60.712345)) and polygon.area > 0.01
    assert name is None and distance is not None
    far = query(db, "select lat, lon, location_precision, location_cell_geojson from exercise_notices "
                    "where notice_id = 'N-FAR'")
    assert far == [(59.254321, 25.954321, "exact", None)]
    assert query(db, "select count(*) from exercise_notices where notice_id = 'N-EMBARGO'") == [(0,)]


def test_revisions_are_published_only_when_both_values_pass(release_secret_inputs):
    s = release_secret_inputs
    assert len(query(s.work_db, "select * from revisions")) == 2
    published = query(s.release / "borderlens.duckdb", "select record_key, old_value, new_value from revisions")
    assert published == [("USA|USA-0103|inbound|2024-01-01|month|trucks", "9700001.0", "9700002.0")]


@pytest.mark.parametrize("name", ["redactions.json", "release.json", "datapackage.json"])
def test_metadata_files_count_but_never_carry_values(release_secret_inputs, name):
    data = json.loads((release_secret_inputs.release / name).read_text(encoding="utf-8"))
    if name == "redactions.json":
        for entry in data["redactions"]:
            assert set(entry) == {"rule_id", "action", "dataset", "field", "publisher", "reason", "rows_affected",
                                  "k", "precision", "precision_km", "detail"}
            assert isinstance(entry["rows_affected"], int)
    text = json.dumps(data)
    assert "Zanzibar" not in text and "KESTREL" not in text
