"""Suppression over the cube's dimensions (issue 10, point 5): a nationality with a handful of people in a month is
suppressed, and no total a reader might know, a route's month over nationalities or over border types included,
gives it back. Attacked here with an independent linear program over every margin, written out again from
docs/policy.md; the control shows that the same attack recovers small counts when only they are withheld.
A second release over the first checks that a cell suppressed before stays suppressed, dimension by dimension.
Real CLI, real DuckDB files; the file is in Frontex's layout (labelled synthetic figures)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from support import query, run_cli, write

K, P = 10, 20
ROUTES = ["Alpha Sea Route", "Beta Land Route"]
TYPES = ["Land", "Sea"]
NATIONALITIES = ["AFG", "SYR", "TUR", "IRQ", "ERI", "SDN"]
MONTHS = ["2024-01", "2024-02", "2024-03", "2024-04"]
POLICY = (f'[policy]\nname = "cube"\n\n[[rule]]\nid = "small"\ndataset = "crossings"\naction = "suppress_below"\n'
          f'fields = ["value"]\nk = {K}\np = {P}\naccept_unprotectable = true\nreason = "small counts"\n')
# the totals a reader might know (docs/policy.md): column lists of the cells' frame below
MARGINS = {
    "place x period x measure": ["route", "t"],
    "border x period x measure": ["t"],                      # an agency's cells: no country pair, every route
    "place x year x measure": ["route", "type", "nat"],       # over the months of the year (one year here)
    "border x period x measure, per code": ["type", "nat", "t"],   # every route's Syrians in a month
    "place x year, all codes": ["route"],
    "over nationalities": ["route", "type", "t"],
    "over border types": ["route", "nat", "t"],
}


def _table(seed: int) -> pd.DataFrame:
    """Labelled synthetic counts: mostly large, one in six below K (a nationality with a few people)."""
    rng = np.random.default_rng(seed)
    rows = [(r, ty, n, t) for r, ty, n, t in itertools.product(ROUTES, TYPES, NATIONALITIES, MONTHS)]
    small = rng.random(len(rows)) < 1 / 6
    values = np.where(small, rng.integers(1, K, len(rows)), rng.integers(K + 20, 400, len(rows)))
    return pd.DataFrame(rows, columns=["route", "type", "nat", "t"]).assign(n=values)


def _publish(folder: Path, table: pd.DataFrame, previous: Path | None = None) -> tuple[Path, dict]:
    data = folder / "frontex_layout_synthetic.csv"
    table.to_csv(data, index=False)
    work, release = folder / "work.duckdb", folder / "release"
    run_cli("ingest", data, "--db", work, "--no-progress")
    args = ["--previous", previous] if previous else []
    result = run_cli("publish", "--db", work, "--policy", write(folder / "policy.toml", POLICY), "--out", release,
                     "--json", *args)
    return release, json.loads(result.stdout)["notes"]["suppression_audit"]


def _published(release: Path) -> pd.DataFrame:
    rows = query(release / "borderlens.duckdb",
                 "select location_name, dimensions['border_type'], dimensions['nationality'], "
                 "strftime(period_start, '%Y-%m'), value, value_status from crossings")
    frame = pd.DataFrame(rows, columns=["route", "type", "nat", "t", "value", "value_status"])
    frame["type"] = frame["type"].str.capitalize()
    return frame


def _narrowed(cells: pd.DataFrame, unknown: np.ndarray) -> pd.DataFrame:
    """The small counts among the unknown cells whose interval, from every margin total of two or more cells and
    the published cells, is narrower than +-P % of the value (counts are never negative)."""
    unk = np.flatnonzero(unknown)
    column = np.full(len(cells), -1)
    column[unk] = np.arange(len(unk))
    rows, rhs = [], []
    for columns in MARGINS.values():
        for _, group in cells.groupby(columns):
            if len(group) < 2:
                continue
            idx = group.index.to_numpy()
            hidden = column[idx] >= 0
            if not hidden.any():
                continue
            row = np.zeros(len(unk))
            row[column[idx[hidden]]] = 1
            rows.append(row)
            rhs.append(group["n"].to_numpy()[hidden].sum())
    a, b = np.array(rows), np.array(rhs, dtype=float)
    narrow = []
    for j, i in enumerate(unk):
        v = float(cells["n"].iloc[i])
        if v >= K:
            continue
        cost = np.zeros(len(unk))
        cost[j] = 1
        low = linprog(cost, A_eq=a, b_eq=b, bounds=(0, None), method="highs").fun
        high = -linprog(-cost, A_eq=a, b_eq=b, bounds=(0, None), method="highs").fun
        q = max(v * P / 100, 1.0)
        if low > max(v - q, 0) + 1e-6 or high < v + q - 1e-6:
            narrow.append((i, low, high))
    return cells.iloc[[i for i, _, _ in narrow]]


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cube-suppression")
    table = _table(7)
    release, audit = _publish(folder, table)
    return table, release, audit


def test_a_small_nationality_is_suppressed_and_no_margin_gives_it_back(first):
    table, release, audit = first
    cells = table.merge(_published(release), on=["route", "type", "nat", "t"], validate="one_to_one")
    assert len(cells) == len(table)
    small = cells["n"] < K
    assert small.sum() >= 10
    assert (cells.loc[small, "value_status"] == "suppressed").all()
    assert cells.loc[small, "value"].isna().all()
    hidden = (cells["value_status"] == "suppressed").to_numpy()
    assert hidden.sum() > small.sum()                       # secondary suppression chose complements
    assert len(_narrowed(cells, hidden)) <= audit["unprotectable"]
    # control: the same attack recovers small counts when only they are withheld
    assert len(_narrowed(cells, small.to_numpy())) >= 3


def test_the_next_release_keeps_each_dimension_cell_suppressed(first, tmp_path: Path):
    table, release, _ = first
    later = table.copy()
    later["n"] = np.where(later["n"] < K, later["n"] + 50, later["n"])   # every small count grows past K
    second, audit = _publish(tmp_path, later, previous=release)
    assert audit["cells"] == len(later)           # each cell matched to its own previous cell, no other
    before = _published(release).set_index(["route", "type", "nat", "t"])
    after = _published(second).set_index(["route", "type", "nat", "t"])
    assert len(after) == len(before)
    was = before["value_status"] == "suppressed"
    # a cell suppressed before is suppressed again or published exactly: never a neighbour's figure by mistake
    still = after.loc[was[was].index]
    truth = later.set_index(["route", "type", "nat", "t"])["n"]
    published = still["value"].notna()
    assert (still.loc[published, "value"] == truth.loc[still.index[published]]).all()
    assert (still.loc[~published, "value_status"] == "suppressed").all()
