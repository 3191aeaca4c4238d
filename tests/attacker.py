"""The attacker of the suppression audit (tests/test_disclosure_audit.py, bench/attack.py): the published crossing
cells of a release beside their true values in the working database, and linear programs of its own (scipy, not the
audit's code) over the true totals of every margin docs/policy.md lists, for each suppressed small count; and the
hash attack's search of a release for any digest of an input file (ReleaseText, chunked and in SQL: a million cells'
release holds gigabytes; tests/test_release_oracles.py has the fuller search of small releases)."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

KEY = ["reporter_iso3", "location_id", "direction", "period_start", "period_granularity", "measure"]
BASE_MARGINS = {  # the documented margins, written out again from docs/policy.md
    "place x period x measure": ["location_id", "period_start", "period_granularity", "measure"],
    "place x period": ["reporter_iso3", "location_id", "direction", "period_start", "period_granularity"],
    "border x period x measure": ["reporter_iso3", "country_iso3", "neighbor_iso3", "direction", "period_start",
                                  "period_granularity", "measure"],
    "place x year x measure": ["reporter_iso3", "location_id", "direction", "measure", "period_granularity", "year"],
}
WIDER_MARGINS = {  # and the wider totals the dashboard prints at its filters (across borders, countries, years)
    "border x year x measure": ["reporter_iso3", "country_iso3", "neighbor_iso3", "direction", "measure",
                                "period_granularity", "year"],
    "country x period x measure": ["reporter_iso3", "country_iso3", "direction", "period_start",
                                   "period_granularity", "measure"],
    "place x all years x measure": ["reporter_iso3", "location_id", "direction", "measure", "period_granularity"],
    "reporter x period x measure": ["reporter_iso3", "period_start", "period_granularity", "measure"],
}
MARGINS = {**BASE_MARGINS, **WIDER_MARGINS}
K, P = 10, 20
LARGE_SET = 5_000   # unknowns in a connected set from which the interior point method is used


CELLS = """
    select reporter_iso3, location_id, direction, period_start, period_granularity, measure, country_iso3,
           neighbor_iso3, value, value_status, year(period_start) as year
    from {db}.crossings
    where place_kind = 'crossing_point' and cardinality(dimensions) = 0
"""


def _cells(db) -> pd.DataFrame:
    """The crossing points' cells (KEY is their whole key): the demo policy's suppression applies to them only, and
    a route's cells broken down by dimensions have margins of their own (attacked in the cube's tests)."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(CELLS.format(db=con.execute("select current_database()").fetchall()[0][0])).df()


def _intervals(truth: pd.DataFrame, unknown: pd.Series, tables: list[pd.DataFrame] | None = None) -> pd.DataFrame:
    """The attacker's interval of every unknown cell of truth (one row per cell, KEY order), from the true
    totals of every margin group of two or more cells, over truth itself and any other release's table of
    cells (same KEY; its groups are formed over its own cells). Counts are never negative."""
    unknown_idx = np.flatnonzero(unknown.to_numpy())
    column = {i: j for j, i in enumerate(unknown_idx)}
    rows, b = [], []
    for table in [truth] + (tables or []):
        index = truth.reset_index().merge(table[KEY], on=KEY)["index"].to_numpy() if table is not truth \
            else np.arange(len(truth))
        sub = truth.iloc[index]
        for columns in MARGINS.values():
            for _, group in sub.groupby(columns, dropna=False):
                if len(group) < 2:
                    continue
                members = [column[i] for i in group.index if i in column]
                if not members:
                    continue
                known = group.loc[[i for i in group.index if i not in column], "true_value"].sum()
                rows.append(members)
                b.append(group["true_value"].sum() - known)
    a = np.zeros((len(rows), len(unknown_idx)))
    for r, members in enumerate(rows):
        a[r, members] = 1.0
    out = []
    for j, i in enumerate(unknown_idx):
        if truth.at[i, "true_value"] >= K:
            continue  # only small counts need +-P %: the others are not solved for
        c = np.zeros(len(unknown_idx))
        c[j] = 1.0
        low = linprog(c, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        high = linprog(-c, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        out.append((i, low.fun, -high.fun if high.status == 0 else np.inf))
    return pd.DataFrame(out, columns=["row", "low", "high"]).set_index("row")


def _narrow(truth: pd.DataFrame, intervals: pd.DataFrame) -> list[str]:
    """Small counts whose interval does not reach +-P % (and +-1) of the value."""
    found = []
    for i, r in intervals.iterrows():
        v = truth.at[i, "true_value"]
        if v >= K:
            continue
        q = max(v * P / 100, 1.0)
        if r["low"] > max(v - q, 0) + 1e-6 or r["high"] < v + q - 1e-6:
            found.append(f"{truth.at[i, 'location_id']} {truth.at[i, 'period_start']} {truth.at[i, 'measure']}: "
                         f"{v:g} in [{r['low']:g}, {r['high']:g}]")
    return found


def _truth(work_db, release_db) -> tuple[pd.DataFrame, pd.Series]:
    """Each published crossing-point cell beside its true value in the working database (true_value), in KEY order;
    and which of them the release hides."""
    same = " and ".join(f"w.{c} is not distinct from p.{c}" for c in KEY)
    with duckdb.connect() as con:
        con.execute("attach ? as work (read_only)", [str(work_db)])
        con.execute("attach ? as public (read_only)", [str(release_db)])
        truth = con.execute(f"""
            with w as ({CELLS.format(db="work")}), p as ({CELLS.format(db="public")})
            select w.* exclude (value, value_status, year), w.year, w.value as true_value,
                   w.value_status as value_status_work, p.value, p.value_status
            from w join p on {same}
            order by {", ".join(f"w.{c}" for c in KEY)}
        """).df()
    return truth, truth["value_status"].isin(["suppressed", "dropped", "withheld_by_publisher"])


def _component_intervals(truth: pd.DataFrame, unknown: np.ndarray, margins: dict,
                         releases: tuple[np.ndarray, ...] = (), enough: int | None = None,
                         extremes: tuple[np.ndarray, np.ndarray] | None = None) -> pd.DataFrame:
    """The attacker's interval of every small count among the unknown cells, as _intervals but fast enough for
    the demo's 21k cells: the group sums are split into connected sets of unknown cells (cells linked by a
    shared group), and each set's programs are solved on their own. Every solution found is a feasible table,
    so it also widens the other cells' intervals; a cell is solved for only while no solution yet shows it
    reaching +-P %. releases: masks of truth's rows, the cells of other releases the attacker also holds; each
    one's totals are formed over its own cells (the differencing attack). Withheld counts enter the totals as 0
    (the audit's attacker model). enough: stop once that many small counts are narrowed (a control that only needs
    to show the attack works); the counts of the sets not yet solved are left out. extremes: (low, high) per row of
    truth, the least and greatest value of each cell in tables already known feasible for this attacker (another
    attack's, whose attacker held this one's totals and more: the differencing attack's tables are the LP attack's
    too); read as the start and widened in place by every table found here."""
    value = truth["true_value"].fillna(0).to_numpy(float)
    present = (truth["value_status"] != "missing").to_numpy()
    unk = np.flatnonzero(unknown & present)
    column = np.full(len(truth), -1)
    column[unk] = np.arange(len(unk))
    rows, cols, b, offset = [], [], [], 0
    for cells in (present, *(present & np.asarray(r, bool) for r in releases)):
        idx = np.flatnonzero(cells)
        for columns in margins.values():
            gid = truth.iloc[idx].groupby(columns, dropna=False).ngroup().to_numpy()
            in_total = np.bincount(gid)[gid] >= 2  # a total of one figure is the figure: not assumed known
            hidden = in_total & (column[idx] >= 0)
            used, local = np.unique(gid[hidden], return_inverse=True)
            rows.append(local + offset)
            cols.append(column[idx[hidden]])
            b.append(np.bincount(gid[hidden], weights=value[idx[hidden]], minlength=gid.max() + 1)[used])
            offset += len(used)
    a = sparse.csr_matrix((np.ones(sum(len(r) for r in rows)), (np.concatenate(rows), np.concatenate(cols))),
                          shape=(offset, len(unk)))
    rhs = np.concatenate(b)
    _, label = connected_components(sparse.bmat([[None, a.T], [a, None]], format="csr"), directed=False)
    var_label, con_label = label[:len(unk)], label[len(unk):]
    v = value[unk]
    small = (v > 0) & (v < K)
    q = np.maximum(v * P / 100, 1.0)
    lo_need, hi_need = np.maximum(v - q, 0), v + q
    low, high = v.copy(), v.copy()
    if extremes is not None:
        low, high = np.minimum(low, extremes[0][unk]), np.maximum(high, extremes[1][unk])
    solved = np.zeros(len(unk), dtype=bool)

    def reached(cells, sign):
        """Whether the tables found take these cells as far as they need: up (sign < 0, the cost maximises) or down."""
        return high[cells] >= hi_need[cells] - 1e-6 if sign < 0 else low[cells] <= lo_need[cells] + 1e-6

    def narrowed():
        return solved & small & ~(reached(slice(None), -1.0) & reached(slice(None), 1.0))

    for component in np.unique(var_label[small]):
        if enough is not None and np.count_nonzero(narrowed()) >= enough:
            break
        vs, cs = np.flatnonzero(var_label == component), np.flatnonzero(con_label == component)
        sub, sub_rhs = a[cs][:, vs], rhs[cs]
        targets = np.flatnonzero(small[vs])

        # HiGHS's interior point method (with its crossover to a vertex) solves the large sets 2.5 times faster than
        # its default simplex (a million-cell release: one set of 40,880 unknowns, 1.3 s against 3.3 s a program)
        method = "highs-ipm" if len(vs) >= LARGE_SET else "highs"

        def solve(cost, sub=sub, sub_rhs=sub_rhs, vs=vs, method=method):
            result = linprog(cost, A_eq=sub, b_eq=sub_rhs, bounds=(0, None), method=method)
            if result.status == 0:
                np.minimum.at(low, vs, result.x)
                np.maximum.at(high, vs, result.x)
            return result

        for sign in (-1.0, 1.0):  # all targets at once: one feasible table each way
            if reached(vs[targets], sign).all():   # tables known already take every target this far
                continue
            cost = np.zeros(len(vs))
            cost[targets] = sign / hi_need[vs[targets]]
            if solve(cost).status == 3:
                high[vs[targets]] = np.inf
        for t in targets:
            g = vs[t]
            for sign in (-1.0, 1.0):
                if reached(g, sign):
                    continue
                cost = np.zeros(len(vs))
                cost[t] = sign
                if solve(cost).status == 3:
                    high[g] = np.inf
        solved[vs] = True
    if extremes is not None:
        extremes[0][unk], extremes[1][unk] = low, high
    narrow = narrowed()
    return truth.iloc[unk[narrow]].assign(low=low[narrow], high=high[narrow])


def feasible_extremes(truth: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The start of _component_intervals' extremes: the true table, the one table every attacker knows feasible."""
    value = truth["true_value"].fillna(0).to_numpy(float)
    return value.copy(), value.copy()


RUNS = rb"[0-9a-fA-F]{10,}|[A-Za-z0-9+/_=-]{16,}"   # where a digest can sit as hex or base64
CHUNK = 32 << 20


ALGORITHMS = ("md5", "sha1", "sha224", "sha256", "sha384", "sha512", "blake2b", "blake2s", "sha3_256")


def digests_of(data: bytes) -> dict[str, bytes]:
    return {name: hashlib.new(name, data).digest() for name in ALGORITHMS}


class ReleaseText:
    """What a release holds where a digest could sit: every run of 10 or more hex digits or 16 or more base64
    characters in any of its files (read in chunks: the extracts of a million cells are over a gigabyte) and in
    any text cell of its database (DuckDB compresses strings, so the file's bytes alone would not show them), and
    which of the given 8-byte prefixes occur anywhere in its bytes."""

    def __init__(self, release: Path, prefixes: list[bytes]):
        self.runs: set[str] = set()
        self.raw: set[bytes] = set()
        with duckdb.connect() as scanner:   # RE2 finds the runs three times as fast as Python's re
            for path in sorted(p for p in release.rglob("*") if p.is_file()):
                with open(path, "rb") as handle:
                    tail = b""
                    while chunk := handle.read(CHUNK):
                        window = tail + chunk
                        # latin-1 maps each byte to one character: the runs (ASCII) are found where they are
                        self.runs.update(scanner.execute("select list_distinct(regexp_extract_all(?, ?))",
                                                         [window.decode("latin-1"), RUNS.decode()]).fetchone()[0])
                        self.raw |= {prefix for prefix in prefixes if prefix in window}
                        tail = window[-64:]
        with duckdb.connect(str(release / "borderlens.duckdb"), read_only=True) as con:
            columns = con.execute("select schema_name, table_name, column_name from duckdb_columns() "
                                  "where not internal and database_name = current_database() "
                                  "and (data_type = 'VARCHAR' or data_type like '%[]' or data_type like 'MAP%' "
                                  "or data_type like 'STRUCT%' or data_type = 'JSON')").fetchall()
            for schema, table, column in columns:
                self.runs |= {r for (r,) in con.execute(
                    f'select distinct unnest(regexp_extract_all(cast("{column}" as varchar), ?)) '
                    f'from "{schema}"."{table}"', [RUNS.decode()]).fetchall()}
        self.lowered = {r.lower() for r in self.runs}

    def holds(self, digest: bytes) -> list[str]:
        """The forms of digest found: any 10-hex-digit piece of its hex, its first 8 raw bytes, its base64."""
        text = digest.hex()
        pieces = {text[i:i + 10] for i in range(len(text) - 9)}
        found = ["hex"] if any(piece in run for run in self.lowered for piece in pieces) else []
        if digest[:8] in self.raw:
            found.append("raw bytes")
        for encoded in (base64.b64encode(digest).decode(), base64.urlsafe_b64encode(digest).decode()):
            if any(encoded[:16] in run for run in self.runs):
                found.append("base64")
        return found


def hash_attack(input_file: Path, *releases: Path) -> dict:
    """The hash attack's best candidate is the input file itself: the forms of its digests found in each release
    (none may be: {"release/algorithm": forms}), whether its size is among any release's source figures, and a
    control: the same search must find the digest of each release's own database, which digests.json lists."""
    data = input_file.read_bytes()
    digests = digests_of(data)
    found, size_published, control_found = {}, False, True
    for release in releases:
        own = hashlib.sha256((release / "borderlens.duckdb").read_bytes()).digest()
        text = ReleaseText(release, [d[:8] for d in digests.values()] + [own[:8]])
        with duckdb.connect(str(release / "borderlens.duckdb"), read_only=True) as con:
            figures = {v for row in con.execute("select * from sources").fetchall() for v in row
                       if isinstance(v, int)}
        found |= {f"{release.name}/{name}": forms for name, d in digests.items() if (forms := text.holds(d))}
        size_published |= len(data) in figures
        control_found &= bool(text.holds(own))
    return {"found": found, "size_published": size_published, "control_found": control_found}
