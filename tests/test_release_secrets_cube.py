"""A protected value is in no byte of a release built from a crossings cube (issue 10): a labelled synthetic file of
route x border type x nationality x month, with the publisher's own TOTAL rows, is ingested and published through
the real CLI. Seeded small counts (six-digit ones under a large k, so that their text and bytes are distinctive,
and 7 and 3, checked cell by cell), every count chosen to hide them, and a route name a rule drops are searched
in every file of the release: as text and as binary numbers in the raw bytes, and by value in every cell of the
DuckDB file and of the Parquet extracts (decompressed). Controls: the same working database published under a
policy without those rules holds every one of them where the searches look; the protected release holds the
published counts. No suppressed count is the difference between a margin's true total (the publisher's TOTAL
rows included) and its published cells; with primary suppression alone it is."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import struct
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from cube_support import ingest_profiled, publish
from support import query

K = 500_000
PUBLISH_DATE = "2025-06-30"
SECRET_NAME = "Secret Strait Omega-4417"
PUBLIC_NAME = "Public Passage Lambda-2288"
ROUTES = {"R-PUBLIC-1": (PUBLIC_NAME, "36.15", "14.25"), "R-SECRET-2": (SECRET_NAME, "37.35", "26.45")}
TYPES = ["Land", "Sea"]
NATIONALITIES = ["AFG", "SYR", "STL", "OOO", "IRQ", "ERI"]
MONTHS = ["2024-01", "2024-02", "2024-03", "2024-04"]
SMALL = {("R-SECRET-2", "Sea", "STL", "2024-02"): 479_311, ("R-PUBLIC-1", "Land", "SYR", "2024-01"): 318_775,
         ("R-PUBLIC-1", "Sea", "OOO", "2024-03"): 412_347, ("R-SECRET-2", "Land", "AFG", "2024-03"): 7,
         ("R-PUBLIC-1", "Sea", "AFG", "2024-02"): 3}
PROFILE = """
[profile]
name = "test-cube-secrets"
dataset = "crossings"
title = "SYNTHETIC: detections by route, border type and nationality"
publisher = "Synthetic border agency"
series = "test-cube-secrets"
synthetic = true

[detect]
columns = ["route_code", "route_name", "type", "nat", "t", "n", "lat", "lon"]

[dates]
formats = ["%Y-%m"]

[fields]
place_kind = { value = "route" }
location_id = "route_code"
location_name = "route_name"
reporter_org = { value = "Synthetic border agency" }
direction = { value = "inbound" }
period = "t"
period_granularity = { value = "month" }
measure = { value = "detections" }
value = "n"
lat = "lat"
lon = "lon"
location_precision = { value = "region" }

[dimensions]
border_type = { column = "type", map = "border_types", unmapped = "keep" }

[dimensions.nationality]
column = "nat"
parse = "upper"
codes = "iso3166"
open = ["STL", "OOO"]
total = "TOTAL"
totals = "keep"

[vocab.border_types]
"Land" = "land"
"Sea" = "sea"
"""
PROTECTING = f"""
[policy]
name = "cube secrets"

[[rule]]
id = "small"
dataset = "crossings"
action = "suppress_below"
fields = ["value"]
k = {K}
accept_unprotectable = true
reason = "small counts single people out"

[[rule]]
id = "secret-route-name"
dataset = "crossings"
action = "drop"
fields = ["location_name"]
when = "location_id = 'R-SECRET-2'"
reason = "the route's name is sensitive"
"""
# the control: the same data without the two rules (a policy needs a rule; this one touches no crossing)
OPEN = ('[policy]\nname = "open"\n\n[[rule]]\nid = "budgets"\ndataset = "infrastructure_projects"\n'
        'action = "round_to"\nfields = ["budget"]\nbase = 1\nreason = "none here"\n')
CELL = ["route", "type", "nat", "t"]


def _rows() -> list[list]:
    """Every count distinct (6,000,000 + 11,173 n), except the seeded small ones; a TOTAL row per route, type and
    month that is the sum of its nationalities, as a publisher prints it."""
    rows, n = [], 0
    for route, kind, month in itertools.product(ROUTES, TYPES, MONTHS):
        name, lat, lon = ROUTES[route]
        total = 0
        for nat in NATIONALITIES:
            n += 1
            value = SMALL.get((route, kind, nat, month), 6_000_000 + 11_173 * n)
            total += value
            rows.append([route, name, kind, nat, month, value, lat, lon])
        rows.append([route, name, kind, "TOTAL", month, total, lat, lon])
    return rows


def _cells(db: Path) -> pd.DataFrame:
    rows = query(db, "select location_id, dimensions['border_type'], dimensions['nationality'], "
                     "strftime(period_start, '%Y-%m'), value, value_status from crossings")
    frame = pd.DataFrame(rows, columns=[*CELL, "value", "value_status"])
    return frame.assign(type=frame["type"].str.capitalize())


class Cube:
    def __init__(self, folder: Path):
        header = ["route_code", "route_name", "type", "nat", "t", "n", "lat", "lon"]
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows([header, *_rows()])
        self.work, _ = ingest_profiled(folder, PROFILE, text.getvalue(), data_name="cube_synthetic.csv")
        env = {"BORDERLENS_PUBLISH_DATE": PUBLISH_DATE}
        self.release = publish(self.work, folder / "release", PROTECTING, env=env)
        self.open = publish(self.work, folder / "open", OPEN, policy_name="open.toml", env=env)
        truth = _cells(self.work).rename(columns={"value": "true_value"}).drop(columns="value_status")
        self.cells = truth.merge(_cells(self.release / "borderlens.duckdb"), on=CELL, validate="one_to_one")
        hidden = self.cells[self.cells["value_status"] == "suppressed"]
        self.hidden_keys = [tuple(k) for k in hidden[CELL].itertuples(index=False)]
        # every count the release hides: the seeded small ones and each complement chosen to protect them
        self.secret_numbers = sorted(hidden["true_value"].astype(float))
        self.control_numbers = sorted(self.cells.loc[self.cells["value_status"] == "reported", "value"])


@pytest.fixture(scope="module")
def cube(tmp_path_factory) -> Cube:
    return Cube(tmp_path_factory.mktemp("cube-secrets"))


def _files(release: Path) -> list[Path]:
    files = sorted(p for p in release.rglob("*") if p.is_file())
    assert {p.name for p in files} >= {"borderlens.duckdb", "datapackage.json", "redactions.json", "release.json",
                                       "crossings.csv", "crossings.parquet", "crossings.geojson", "digests.json"}
    return files


def _distinctive(v: float) -> bool:
    return v >= 100_000  # six digits and more: no date, id or coordinate of this release is written so


def _forms(v: float) -> set[bytes | re.Pattern]:
    """A whole number as text (plain, with thousands separators, as a float), not inside a longer number (6636861
    is in a published total 36636861), and as binary numbers."""
    i = int(v)
    text = {str(i), f"{i:,}", f"{i}.0", f"{i:,}".replace(",", " "), f"{i:,}".replace(",", ".")}
    binary = {struct.pack("<d", v), struct.pack("<f", v), struct.pack("<q", i), struct.pack("<i", i)}
    return {_number(t) for t in text} | binary


def _number(text: str) -> re.Pattern:
    return re.compile(rb"(?<![0-9])" + re.escape(text.encode()) + rb"(?![0-9])")


def _in_bytes(files: list[Path], needles: set[bytes | re.Pattern]) -> list[str]:
    found = []
    for path in files:
        data = path.read_bytes()
        found += [f"{path.name}: {n!r}" for n in needles
                  if (n.search(data) if isinstance(n, re.Pattern) else n in data)]
    return found


def _cell_values(path: Path):
    """Every cell of every table of a DuckDB file, or of a Parquet file read back (decompressed), as (where, value)."""
    if path.suffix == ".parquet":
        table = pq.read_table(path)
        for name in table.column_names:
            for value in table.column(name).to_pylist():
                yield f"{path.name}:{name}", value
        return
    con = duckdb.connect(str(path), read_only=True)
    try:
        for (table,) in con.execute("select table_name from duckdb_tables()").fetchall():
            result = con.execute(f'select * from "{table}"')
            names = [d[0] for d in result.description]
            for row in result.fetchall():
                yield from ((f"{table}.{n}", v) for n, v in zip(names, row))
    finally:
        con.close()


def _flatten(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _flatten(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _flatten(v)
    else:
        yield value


def _matches(files: list[Path], numbers: set[float], texts: set[str]) -> dict[str, list[str]]:
    """What of numbers (by value, in numeric cells; by text in text cells) and texts each structured file holds."""
    found: dict[str, list[str]] = {}
    words = {w: _number(w) for w in map(str, map(int, numbers))} | {w: re.compile(re.escape(w.encode())) for w in texts}
    for path in (p for p in files if p.suffix in (".duckdb", ".parquet")):
        for where, cell in _cell_values(path):
            for value in _flatten(cell):
                if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value) in numbers:
                    found.setdefault(str(int(value)), []).append(f"{path.name} {where}")
                elif isinstance(value, str):
                    for word in (w for w, pattern in words.items() if pattern.search(value.encode())):
                        found.setdefault(word, []).append(f"{path.name} {where}")
    return found


def test_the_cube_hides_the_seeded_counts_and_their_complements(cube):
    small = {k for k, v in SMALL.items()}
    assert small <= set(cube.hidden_keys)
    assert len(cube.hidden_keys) > len(small)                 # complements were chosen
    assert len(cube.control_numbers) > 20                     # and most of the cube is published
    assert {k[2] for k in cube.hidden_keys} - {"_total"}       # the hidden cells are nationality cells


def test_no_protected_value_in_any_byte_of_the_release(cube):
    files = _files(cube.release)
    distinctive = [n for n in cube.secret_numbers if _distinctive(n)]
    assert {479_311.0, 318_775.0, 412_347.0} <= set(distinctive)
    assert not _in_bytes(files, {SECRET_NAME.encode("utf-8"), b"Omega-4417"}), "the dropped name is in the release"
    hits = {n: _in_bytes(files, _forms(n)) for n in distinctive}
    assert not {n: h for n, h in hits.items() if h}, "a suppressed count is in the release"
    # controls: the search finds published counts and names in this release, and the protected ones in the open one
    assert _in_bytes(files, {PUBLIC_NAME.encode("utf-8")})
    assert all(_in_bytes(files, {_number(str(int(n)))}) for n in cube.control_numbers)
    open_files = _files(cube.open)
    assert _in_bytes(open_files, {SECRET_NAME.encode("utf-8")})
    assert all(_in_bytes(open_files, {_number(str(int(n)))}) for n in distinctive)


def test_no_protected_value_in_any_cell_of_the_database_or_parquet(cube):
    distinctive = {n for n in cube.secret_numbers if _distinctive(n)}
    found = _matches(_files(cube.release), distinctive, {SECRET_NAME})
    assert not found, f"protected values in cells of the release: {found}"
    # control: in the open release every one of them is in a cell of the DuckDB file and of the Parquet extract
    found = _matches(_files(cube.open), distinctive, {SECRET_NAME})
    assert set(found) == {str(int(n)) for n in distinctive} | {SECRET_NAME}
    assert all({w.split()[0] for w in where} >= {"borderlens.duckdb", "crossings.parquet"}
               for where in found.values())


def _by_cell(release: Path) -> dict[str, dict[tuple, object]]:
    """The value of each cell as every format of the release gives it: table, CSV, Parquet, GeoJSON."""
    def key(r):
        return (r["location_id"], str(r["dimension_border_type"]).capitalize(), r["dimension_nationality"],
                str(r["period_start"])[:7])
    extracts = release / "extracts"
    with open(extracts / "crossings.csv", newline="", encoding="utf-8") as handle:
        from_csv = {key(r): r["value"] for r in csv.DictReader(handle)}
    from_parquet = {key(r): r["value"] for r in pq.read_table(extracts / "crossings.parquet").to_pylist()}
    features = json.loads((extracts / "crossings.geojson").read_text(encoding="utf-8"))["features"]
    from_geojson = {key(f["properties"]): f["properties"]["value"] for f in features}
    table = {(r, t.capitalize(), n, m): v for r, t, n, m, v in query(
        release / "borderlens.duckdb", "select location_id, dimensions['border_type'], dimensions['nationality'], "
                                       "strftime(period_start, '%Y-%m'), value from crossings")}
    return {"table": table, "csv": from_csv, "parquet": from_parquet, "geojson": from_geojson}


def test_every_hidden_cell_is_empty_in_every_format_small_counts_included(cube):
    truth = cube.cells.set_index(CELL)["true_value"]
    for name, values in _by_cell(cube.release).items():
        assert len(values) == len(cube.cells), name
        leaked = {k: values[k] for k in cube.hidden_keys if values[k] not in (None, "")}
        assert not leaked, f"{name} gives hidden cells a value: {leaked}"
    # control: the open release gives each of them its value, 7 and 3 included, in every format
    for name, values in _by_cell(cube.open).items():
        assert all(float(values[k]) == truth[k] for k in cube.hidden_keys), name
    assert {truth[k] for k in cube.hidden_keys} >= {7.0, 3.0}


MARGINS = {  # totals a reader may know (docs/policy.md), written out again for this cube: cells share these
    "over nationalities (the publisher's TOTAL rows)": ["route", "type", "t"],
    "over border types": ["route", "nat", "t"],
    "over the months": ["route", "type", "nat"],
    "over the routes": ["type", "nat", "t"],
    "a route's month": ["route", "t"],
}


def _recovered(cells: pd.DataFrame, hidden: pd.Series) -> list[str]:
    """Hidden counts equal to a margin's true total minus its published cells (the TOTAL rows are no cells of it)."""
    frame = cells[cells["nat"] != "_total"].assign(hidden=hidden, shown=cells["true_value"].where(~hidden, 0.0))
    found = []
    for name, columns in MARGINS.items():
        for _, group in frame.groupby(columns):
            rest = group["true_value"].sum() - group["shown"].sum()
            found += [f"{name}: {tuple(c[CELL])}" for _, c in group[group["hidden"]].iterrows()
                      if abs(rest - c["true_value"]) < 0.5]
    return found


def test_no_hidden_count_is_a_margin_total_minus_the_published_cells(cube):
    cells = cube.cells
    totals = cells[cells["nat"] == "_total"]
    # the publisher's TOTAL rows are published as printed, so a reader has these margins for free
    assert (totals["value"] == totals["true_value"]).all()
    assert _recovered(cells, cells["value_status"] == "suppressed") == []
    # control: with only the small counts hidden, the same subtraction gives them back
    assert _recovered(cells, cells["true_value"] < K)
