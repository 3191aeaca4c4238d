"""Secondary suppression extended until the audit passes (publish/protection.py), on generated tables in numpy:
the shortcuts that make a 10M-cell table finish (only failing cells audited again, protectability tested late,
chains of complements instead of whole neighbourhoods) must end where a fresh audit of every cell agrees."""

from __future__ import annotations

import numpy as np
import pytest

from data_pipeline.publish import disclosure_audit, protection
from data_pipeline.publish.suppression import secondary_cells

P = 20


def _grid(rng, places: int, months: int, measures: int, small_share: float, small_high: int, wide: bool = False):
    """Values of places x months x measures (a small_share of them from 1 to small_high - 1) and group ids of the
    margins: place x month, month x measure, place x year x measure, and with wide, place x measure (every month)."""
    place, month, measure = (a.ravel() for a in np.meshgrid(np.arange(places), np.arange(months),
                                                            np.arange(measures), indexing="ij"))
    value = rng.integers(10, 400, len(place)).astype(float)
    small = rng.random(len(place)) < small_share
    value[small] = rng.integers(1, small_high, int(small.sum()))
    margins = [place * months + month, month * measures + measure,
               (place * (months // 12) + month // 12) * measures + measure] + ([place * measures + measure] if wide else [])
    return value, small, [np.unique(m, return_inverse=True)[1].astype(np.int64) for m in margins]


def _table(seed: int, places: int = 12, months: int = 24, measures: int = 3):
    """Places x months x measures with the documented kinds of margins: place x month x measure is the cell,
    place x month (over measures), border x month x measure (over places), place x year x measure (over months)."""
    rng = np.random.default_rng(seed)
    value, small, margins = _grid(rng, places, months, measures, small_share=0.04, small_high=10)
    n = len(value)
    cells = disclosure_audit.Cells(true_value=value, hidden=small.copy(), withheld=np.zeros(n, bool),
                                   missing=np.zeros(n, bool), eligible=~small, known=np.zeros(n, bool),
                                   primary=small, margins=margins)
    return cells, (lambda hidden: secondary_cells(value, hidden, cells.withheld, cells.eligible, margins)[0])


@pytest.mark.parametrize("seed", range(6))
def test_the_shortcuts_end_where_a_fresh_audit_of_every_cell_passes(seed, monkeypatch):
    """As a table of millions runs (protectability tested late, chains of complements): the cells protect
    reports failing or unprotectable are exactly those a fresh audit of every primary finds too narrow, and its
    intervals are the ones reported."""
    monkeypatch.setattr(protection, "GLOBAL_CHECK_CELLS", 0)
    monkeypatch.setattr(protection, "NEIGHBOURHOOD_CELLS", 10)
    cells, secondary = _table(seed)
    hidden, result = protection.protect(cells, secondary, P)
    fresh = disclosure_audit.audit(cells, hidden, P)
    assert len(fresh.checked) == int(cells.primary.sum()) and list(result.checked) == list(fresh.checked)
    too_narrow = set(fresh.failing.tolist())
    assert too_narrow == set(result.checked[result.exempt].tolist()) | set(result.failing.tolist())
    lo_need, hi_need = disclosure_audit.requirement(cells.true_value[fresh.checked], P)
    passing = ~np.isin(fresh.checked, fresh.failing)
    # a passing cell's reported interval reaches its requirement, as the fresh one does
    assert (result.upper[passing] >= hi_need[passing] - 1e-6).all()
    assert (result.lower[passing] <= lo_need[passing] + 1e-6).all()


def test_a_stubborn_cell_in_a_large_neighbourhood_gets_a_chain_not_the_neighbourhood(monkeypatch):
    """Level 1 takes a published cell in every group of every cell sharing a group with the failing one; where
    that neighbourhood is larger than NEIGHBOURHOOD_CELLS (a whole border at 10M cells), complements of the
    complements instead: a few cells per margin and level."""
    cells, _ = _table(1, places=40, months=24)
    hidden = cells.hidden.copy()
    value = cells.true_value
    index = protection._GroupIndex(cells.margins, ~cells.missing)
    cell = int(np.flatnonzero(cells.primary)[0])
    whole = protection._complements(cells, index, hidden, value, cell, 1.0, level=1)
    monkeypatch.setattr(protection, "NEIGHBOURHOOD_CELLS", 10)
    chain = protection._complements(cells, index, hidden, value, cell, 1.0, level=1)
    assert len(whole) > 100  # control: the neighbourhood of one cell here holds hundreds of groups
    assert 0 < len(chain) <= 2 * len(cells.margins) ** 2
    assert not hidden[chain].any() and cells.eligible[chain].all()


def _sparse_table(seed: int, places: int = 8, months: int = 24, measures: int = 2):
    """A table whose totals give cells back: many small counts, most cells missing (groups of two or three), and a
    wide margin (place x measure over every month) as the demo's BTS table has."""
    rng = np.random.default_rng(seed)
    value, small, margins = _grid(rng, places, months, measures, small_share=0.5, small_high=4, wide=True)
    n = len(value)
    missing = rng.random(n) < 0.8
    return disclosure_audit.Cells(true_value=value, hidden=small & ~missing, withheld=np.zeros(n, bool),
                                  missing=missing, eligible=~small, known=np.zeros(n, bool),
                                  primary=small & ~missing, margins=margins, wide=(3,))


def test_the_cells_found_unprotectable_are_those_the_whole_table_gives_back(monkeypatch):
    """The protectability test first tries each cell on a slice and on its neighbours (small programs, with only
    the groups wholly inside), then the rest on the whole table: it finds exactly the cells that one program over
    every cell, all suppressed, pins; the small programs alone find some of them and no others."""
    by_shortcut, by_whole_table = 0, 0
    for seed in range(8):
        cells = _sparse_table(seed)
        primaries = np.flatnonzero(cells.primary)
        whole = set(disclosure_audit.audit(cells, ~cells.missing, P, exact_unknowns=np.inf).failing.tolist())
        shortcut = set(protection.unprotectable(cells, primaries, P, whole_table=0).tolist())
        assert set(protection.unprotectable(cells, primaries, P).tolist()) == whole
        assert shortcut <= whole
        with monkeypatch.context() as patch:   # neighbourhoods over the cap (a table of millions): the whole table
            patch.setattr(protection, "LOCAL_PROGRAM_CELLS", 0)
            assert set(protection.unprotectable(cells, primaries, P).tolist()) == whole
            assert not len(protection.unprotectable(cells, primaries, P, whole_table=0))
        by_shortcut, by_whole_table = by_shortcut + len(shortcut), by_whole_table + len(whole)
    # control: the small programs find cells, and the whole table is still needed for others
    assert 0 < by_shortcut < by_whole_table


def test_the_warm_solver_and_linprog_find_the_same_narrow_cells(monkeypatch):
    """Batch solves start afresh (presolved), single cells from the last basis: the cells found too narrow and
    their intervals are those of linprog solving every program cold."""
    for seed in range(4):
        cells = _sparse_table(seed)
        cells.missing[:] = np.random.default_rng(seed).random(len(cells.missing)) < 0.3
        cells.primary &= ~cells.missing
        hidden = cells.primary | (np.random.default_rng(seed + 50).random(len(cells.missing)) < 0.4)
        warm = disclosure_audit.audit(cells, hidden, P)
        with monkeypatch.context() as patch:
            patch.setattr(disclosure_audit, "WARM_HIGHS", False)
            cold = disclosure_audit.audit(cells, hidden, P)
        assert 0 < len(warm.failing) < len(warm.checked) and list(warm.failing) == list(cold.failing)
        narrow = np.isin(warm.checked, warm.failing)
        assert np.allclose(warm.lower[narrow], cold.lower[narrow])
        assert np.allclose(warm.upper[narrow], cold.upper[narrow])


@pytest.mark.parametrize("seed", range(4))
def test_a_cell_outside_a_margin_is_a_group_of_its_own_to_the_group_rule(seed):
    """secondary_cells reads -1 (the cell is outside the margin) as a group of that cell alone, which the rule
    never touches: the same cells as with each such cell given a new group id. Control: with those cells put in
    groups of the margin instead, the rule picks other cells, so the test tells the two apart."""
    rng = np.random.default_rng(seed)
    value, small, margins = _grid(rng, 10, 24, 2, small_share=0.08, small_high=10)
    n = len(value)
    outside = [rng.random(n) < 0.3 for _ in margins]
    with_minus = [np.where(o, -1, g) for g, o in zip(margins, outside)]
    own_groups = [np.where(o, g.max() + np.cumsum(o), g) for g, o in zip(margins, outside)]
    joined = [np.where(o, rng.integers(0, g.max() + 1, n), g) for g, o in zip(margins, outside)]
    withheld = np.zeros(n, bool)
    found = secondary_cells(value, small, withheld, ~small, with_minus)
    expected = secondary_cells(value, small, withheld, ~small, own_groups)
    assert found[0].tolist() == expected[0].tolist() and (found[1] == expected[1]).all()
    assert secondary_cells(value, small, withheld, ~small, joined)[0].tolist() != found[0].tolist()


def test_the_group_index_gives_each_groups_cells_as_a_scan_would():
    """_GroupIndex.cells_of against a scan of the margin: groups of every size, cells outside (-1) never returned,
    and a margin with no group at all (the previous release's on a first publish: one shared read-only array)."""
    rng = np.random.default_rng(5)
    n = 5_000
    margins = [rng.integers(-1, 40, n), rng.integers(0, 900, n), np.broadcast_to(np.int64(-1), n)]
    present = rng.random(n) < 0.9
    index = protection._GroupIndex(margins, present)
    for m, group in enumerate(margins):
        ids = np.unique(np.concatenate([rng.integers(-1, 950, 30), group[:5]]))
        ids = ids[ids <= group.max(initial=-1)]
        assert sorted(index.cells_of(m, ids).tolist()) == np.flatnonzero(np.isin(group, ids[ids >= 0])).tolist()
        assert index.total[m].tolist() == np.bincount(group[(group >= 0) & present], minlength=1).tolist()
    assert len(index.cells_of(2, np.array([-1, -1]))) == 0 and len(index.cells_of(0, np.array([0]))) > 1
