"""Secondary suppression extended until the audit passes (disclosure_audit.py): complements for the cells the
audit finds too narrowly bounded, and the test of which cells no suppression can protect."""

from __future__ import annotations

import numpy as np

from data_pipeline.publish.disclosure_audit import Audit, Cells, audit, requirement

GLOBAL_CHECK_CELLS = 200_000  # up to this many cells, a cell no slice pins is tested on the whole table
STUBBORN = 2    # rounds a failing cell gets single complements before all cells of its groups are taken
MAX_ROUNDS = 12  # rounds of extra complements before the audit gives up and publish refuses
NEIGHBOURHOOD_CELLS = 1_000  # a stubborn cell's groups of groups beyond this: chains of complements instead
WHOLE_TABLE_EXACT = 100_000  # the whole-table test keeps every wide total whole up to this many cells
# A failing cell's slice, or its neighbours, are tested as one program up to this many cells (the demo's: <= 945,
# 0.02 s each). Beyond, a program's solve grows far faster than its size (a 10M table's 29,400-cell slices: 31 s
# each, twelve of them 80% of its protect, none pinning a cell); a cell not tested is still protected by
# complements, and the last resort counts what no suppression protects.
LOCAL_PROGRAM_CELLS = 5_000


def protect(cells: Cells, secondary, p: float, slices=()) -> tuple[np.ndarray, Audit]:
    """Hidden cells after secondary suppression, extended until the audit passes (or nothing is left to add).

    `secondary(hidden)` is the group-count rule (suppression.secondary_cells); where the audit still finds a
    primary cell too narrowly bounded, in each of its groups the smallest published cell that covers the missing
    width (else the largest) is suppressed too, and both run again. Cells that the margin totals give back
    whatever is suppressed (see `unprotectable`) are counted as such, not failed.

    Hiding more cells only widens an attacker's intervals (every table that fitted before still fits), so after
    the first round only the cells that failed, and primaries hidden since, are audited again. In a table of
    more than GLOBAL_CHECK_CELLS cells, a failing cell is tested for protectability only once single
    complements have not helped it (STUBBORN rounds): most cells are protected by them, and each test solves
    programs over a whole slice of the table."""
    hidden = cells.hidden.copy()
    value = np.where(np.isfinite(cells.true_value), cells.true_value, 0.0)
    n = len(hidden)
    exempt = np.zeros(n, dtype=bool)
    tried = np.zeros(n, dtype=bool)
    rounds = np.zeros(n, dtype=np.int64)
    low, high, ever = np.zeros(n), np.zeros(n), np.zeros(n, dtype=bool)
    large = int((~cells.missing).sum()) > GLOBAL_CHECK_CELLS
    index = _GroupIndex(cells.margins, ~cells.missing)
    check, before = None, hidden.copy()
    for _ in range(MAX_ROUNDS):
        hidden[secondary(hidden)] = True
        result = _merged(audit(cells, hidden, p, exempt=exempt, only=check), low, high, ever)
        ready = ~tried[result.failing] & ((rounds[result.failing] >= STUBBORN) | (not large))
        new = result.failing[ready]
        if len(new):
            tried[new] = True
            lost = unprotectable(cells, new, p, hidden, slices, index=index)
            exempt[lost] = True
            result.failing = result.failing[~exempt[result.failing]]
        if not len(result.failing):
            break
        at = {int(c): i for i, c in enumerate(result.checked)}
        lo_need, hi_need = requirement(value[result.checked], p)
        added = False
        for cell in result.failing:
            i = at[int(cell)]
            rounds[cell] += 1
            missing_width = max(hi_need[i] - result.upper[i], result.lower[i] - lo_need[i], 1.0)
            # after STUBBORN rounds, every published cell of its groups, then of theirs (few are this stubborn)
            for pick in _complements(cells, index, hidden, value, int(cell), missing_width, rounds[cell] - STUBBORN):
                hidden[pick] = True
                added = True
        if not added:
            break
        check = np.zeros(n, dtype=bool)
        check[result.failing] = True
        check |= cells.primary & hidden & ~before
        before = hidden.copy()
    if len(result.failing):
        # Last resort, so that a valid policy never stops the publish: every published cell connected to a
        # failing one through the margin groups is suppressed too; what still fails then is given back by the
        # totals alone (with all of its connected cells hidden) and counted as unprotectable.
        linked = connected(cells, result.failing, index)
        hidden |= linked & cells.eligible & ~cells.known & ~cells.missing
        check = linked & cells.primary
        result = _merged(audit(cells, hidden, p, exempt=exempt, only=check), low, high, ever)
        exempt[result.failing] = True
        result.failing = result.failing[:0]
    result.checked = np.flatnonzero(ever)
    result.lower, result.upper = low[result.checked], high[result.checked]
    result.exempt = exempt[result.checked]
    result.unprotectable = int(exempt.sum())
    return hidden, result


def _merged(result: Audit, low: np.ndarray, high: np.ndarray, ever: np.ndarray) -> Audit:
    """Keeps each audited cell's latest interval (per cell position) across rounds."""
    low[result.checked], high[result.checked] = result.lower, result.upper
    ever[result.checked] = True
    return result


def connected(cells: Cells, seeds: np.ndarray, index: _GroupIndex | None = None) -> np.ndarray:
    """The cells linked to the seeds through shared margin groups, transitively (a mask). Not through the wide
    margins' groups: through them every cell of the table is linked to every other."""
    index = index or _GroupIndex(cells.margins, ~cells.missing)
    linked = np.unique(np.asarray(seeds, dtype=np.int64))
    narrow = [m for m in range(len(cells.margins)) if m not in cells.wide]
    while True:
        grown = _neighbours(cells, index, linked, narrow)
        if len(grown) == len(linked):
            break
        linked = grown
    mask = np.zeros(len(cells.hidden), dtype=bool)
    mask[linked] = True
    return mask


class _GroupIndex:
    """Each margin's cells sorted by group, where each group starts in that order, and each group's number of present
    cells: the cells of given groups are slices, not a scan of the whole table (a scan per failing cell took
    minutes at 10M)."""

    def __init__(self, margins: list[np.ndarray], present: np.ndarray):
        # as 32-bit numbers (cells number fewer than 2**31): half the memory; the groups' starts, not each cell's
        # group in that order, which searchsorted needed (at 10M cells 2.5 -> 1.3 -> 0.7 GB)
        narrow = np.int32 if len(present) < 2**31 else np.int64
        self.order, self.start, self.total = [], [], []
        for group in margins:
            inside = group >= 0
            self.total.append(np.bincount(group[inside & present], minlength=1))
            if not inside.any():   # no groups (the previous release's margins on a first publish)
                self.order.append(np.empty(0, dtype=narrow))
                self.start.append(np.zeros(1, dtype=np.int64))
                continue
            sizes = np.bincount(group[inside])
            start = np.empty(len(sizes) + 1, dtype=np.int64)
            start[0] = len(group) - int(inside.sum())   # the cells outside (-1) sort first
            np.cumsum(sizes, out=start[1:])
            start[1:] += start[0]
            self.order.append(np.argsort(group, kind="stable").astype(narrow))
            self.start.append(start)

    def cells_of(self, margin: int, ids: np.ndarray) -> np.ndarray:
        ids = ids[ids >= 0]
        if not len(ids):
            return np.empty(0, dtype=np.int64)
        start, order = self.start[margin], self.order[margin]
        return np.concatenate([order[a:b] for a, b in zip(start[ids], start[ids + 1])])


def _slice_around(cells: Cells, index: _GroupIndex, cell: int, slices) -> np.ndarray:
    """The cells of the second margin's groups of the cells of the first's group of the cell, per slice."""
    parts = []
    for first, second in slices:
        a, b = cells.margins[first], cells.margins[second]
        if a[cell] < 0:
            continue
        ids = np.unique(b[index.cells_of(first, np.array([a[cell]]))])
        parts.append(index.cells_of(second, ids))
    return np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)


def _pinned_within(cells: Cells, index: _GroupIndex, cell: int, p: float, sub: np.ndarray) -> bool:
    """Whether the cell is too narrow with every cell of `sub` suppressed and only the groups wholly inside it
    known: fewer totals than the attacker has, so a cell pinned here is pinned in the table."""
    sub = sub[~cells.missing[sub]]
    if not len(sub):
        return False
    margins = []
    for m, group in enumerate(cells.margins):
        g = group[sub]
        ids, inverse, held = np.unique(g, return_inverse=True, return_counts=True)
        whole = (ids >= 0) & (held == index.total[m][np.maximum(ids, 0)])
        margins.append(np.where(whole[inverse], inverse, -1).astype(np.int64))
    everything = np.ones(len(sub), dtype=bool)
    local = Cells(cells.true_value[sub], everything, cells.withheld[sub], ~everything, cells.eligible[sub],
                  cells.known[sub], sub == cell, margins, cells.wide)
    # every total whole (the slice is one set of unknowns already): pinned here is pinned for the attacker
    return bool(len(audit(local, everything, p, exact_unknowns=np.inf).failing))


def unprotectable(cells: Cells, failing: np.ndarray, p: float, hidden: np.ndarray | None = None,
                  slices=(), whole_table: int = GLOBAL_CHECK_CELLS, index: _GroupIndex | None = None) -> np.ndarray:
    """Of the failing cells, those still too narrow with every cell of the table suppressed: the margin totals
    alone give them back (in a table of places by months with both kinds of totals, a place with one month has
    a total of one figure that the others give away), so no suppression can protect them.

    First per cell on a slice around it (`slices`: pairs of margins, the cells of the second margin's groups of
    the cells of the first's group of the cell), then on its neighbours (every cell sharing a group with it),
    each with only the groups wholly inside (each up to LOCAL_PROGRAM_CELLS): fewer totals than the attacker has,
    so a cell pinned there is pinned in the table. The rest on the whole table, if it is small: one program over
    every cell, where each cell it pins costs exact solves (the neighbours took the demo's from 68 solves to 21)."""
    if hidden is not None and not (cells.eligible & ~hidden & ~cells.known & ~cells.missing).any():
        return failing  # nothing is left to suppress: the audit just run was that test
    present = ~cells.missing
    found = []
    if len(failing):
        index = index or _GroupIndex(cells.margins, present)
        for cell in failing:
            # in a table of millions a slice or a wide group's cells (a whole border's month) are too many for one
            # program: LOCAL_PROGRAM_CELLS
            for around in (lambda: _slice_around(cells, index, int(cell), slices),   # the neighbours only if needed
                           lambda: _neighbours(cells, index, np.array([cell], dtype=np.int64))):
                sub = around()
                if len(sub) <= LOCAL_PROGRAM_CELLS and _pinned_within(cells, index, int(cell), p, sub):
                    found.append(int(cell))
                    break
    rest = np.setdiff1d(failing, found)
    if len(rest) and present.sum() <= whole_table:
        only = np.zeros(len(present), dtype=bool)
        only[rest] = True
        trial = Cells(cells.true_value, cells.hidden, cells.withheld, cells.missing, cells.eligible, cells.known,
                      cells.primary & only, cells.margins, cells.wide)
        # every wide total whole (up to WHOLE_TABLE_EXACT cells, the demo's size): a cell counted as unprotectable
        # is then one the attacker gets back; in larger tables the count may include cells a split total narrows
        found += [int(c) for c in audit(trial, present, p, exact_unknowns=WHOLE_TABLE_EXACT).failing]
    return np.asarray(sorted(found), dtype=np.int64)


def _complements(cells: Cells, index: _GroupIndex, hidden, value, cell: int, width: float, level: int = 0) -> list[int]:
    """In each group of cell, a published cell: the smallest at least `width`, else the largest. level >= 1:
    the same in the groups of every cell that shares a group with it (level 2: with those, and so on), while
    that neighbourhood stays within NEIGHBOURHOOD_CELLS; beyond, a chain: complements of the complements, level
    deep (in a table of millions, a group of groups is a whole border's cells)."""
    # the neighbours are linked through the narrower margins, and only the cell itself gets complements in its
    # wide groups: a wide group's cells are a whole month, and one pick per wide group of every neighbour (or of
    # every link of a chain) would hide thousands of cells for one
    around = np.array([cell], dtype=np.int64)
    narrow = [m for m in range(len(cells.margins)) if m not in cells.wide]
    if level <= 0:
        return _picks(cells, index, hidden, value, around, width)
    for _ in range(level):
        around = _neighbours(cells, index, around, narrow)
        if len(around) > NEIGHBOURHOOD_CELLS:
            return _chained(cells, index, hidden, value, cell, width, level, narrow)
    own = _picks(cells, index, hidden, value, np.array([cell]), width, cells.wide)
    return own + _picks(cells, index, hidden, value, around, width, narrow)


def _neighbours(cells: Cells, index: _GroupIndex, around: np.ndarray, margins=None) -> np.ndarray:
    chosen = range(len(cells.margins)) if margins is None else margins
    parts = [around] + [index.cells_of(m, np.unique(cells.margins[m][around])) for m in chosen]
    return np.unique(np.concatenate(parts))


def _chained(cells: Cells, index: _GroupIndex, hidden, value, cell: int, width: float, level: int,
             narrow=None) -> list[int]:
    taken = hidden.copy()
    frontier, picks = np.array([cell], dtype=np.int64), []
    for step in range(level + 1):
        found = _picks(cells, index, taken, value, frontier, width, None if step == 0 else narrow)
        if not found:
            break
        taken[found] = True
        picks += found
        frontier = np.asarray(found, dtype=np.int64)
    return picks


def _picks(cells: Cells, index: _GroupIndex, hidden, value, around: np.ndarray, width: float,
           margins=None) -> list[int]:
    """Per group of the `around` cells (of the given margins, default all), its published cell: the smallest at
    least width, else the largest."""
    picks = []
    for m in range(len(cells.margins)) if margins is None else margins:
        group = cells.margins[m]
        idx = index.cells_of(m, np.unique(group[around]))
        idx = idx[cells.eligible[idx] & ~hidden[idx] & ~cells.known[idx] & ~cells.missing[idx]]
        if not len(idx):
            continue
        g, v = group[idx], value[idx]
        # per group: the smallest at least width (rank 0), else the largest (rank 1, by -value)
        rank = np.where(v >= width, 0, 1)
        order = np.lexsort((idx, np.where(rank == 0, v, -v), rank, g))
        _, first = np.unique(g[order], return_index=True)
        picks += [int(i) for i in idx[order[first]]]
    return picks
