"""Secondary suppression extended until the audit passes (publish/protection.py), on generated tables in numpy:
the shortcuts that make a 10M-cell table finish (only failing cells audited again, protectability tested late,
chains of complements instead of whole neighbourhoods) must end where a fresh audit of every cell agrees."""

from __future__ import annotations

import numpy as np
import pytest

from data_pipeline.publish import disclosure_audit, protection
from data_pipeline.publish.suppression import _dense, secondary_cells

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
    dense = [_dense(g) for g in margins]
    return cells, (lambda hidden: secondary_cells(value, hidden, cells.withheld, cells.eligible, dense)[0])


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
