"""Suppression audit of the crossings table, as a statistical agency runs one (tau-ARGUS practice).

A reader who knows the true total of every margin group (docs/policy.md) and every published cell can bound
each suppressed cell by linear programming: minimise and maximise it subject to the group sums, with counts
never negative. The audit solves these programs (HiGHS, through scipy) per connected group of margins, so a
large table costs many small programs, and checks that every primary cell keeps an interval of at least
+-p % of its value (and at least +-1), never a single value. `protect` extends secondary suppression until
the audit passes (protection.py).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

TOLERANCE = 1e-6
WARM_HIGHS = True  # scipy's own HiGHS binding, kept warm between solves; False: scipy.optimize.linprog each time
BATCH_ROUNDS = 8  # solves over all unsettled targets of a component, while each settles a tenth of them
# Components' programs solved at once (HiGHS lets go of the GIL; each program is independent, so the intervals are
# the same in any order): at 10M cells 1,201 solves, 38 s one at a time
PROGRAM_THREADS = max(1, min(8, os.cpu_count() or 1))
EXACT_UNKNOWNS = 5_000  # a wide margin's group is not allowed to link sets of more unknowns than this (split)


@dataclass
class Cells:
    """One crossing cell per position; margins are group ids per cell (-1: not in that margin)."""
    true_value: np.ndarray      # the working value (NaN where nobody has one: missing, withheld by publisher)
    hidden: np.ndarray          # suppressed or dropped now
    withheld: np.ndarray        # withheld by the publisher: unknown to every reader
    missing: np.ndarray         # no value at all: in no total
    eligible: np.ndarray        # published figures that secondary suppression may hide
    known: np.ndarray           # published exactly by the previous release: known to readers whatever we do
    primary: np.ndarray         # cells whose value must be protected by +-p %
    margins: list[np.ndarray]
    wide: tuple[int, ...] = ()  # positions of margins whose groups span the table (every place's month, ...)


@dataclass
class Audit:
    cells: int
    primaries: int
    secondaries: int = 0
    lower: np.ndarray = field(default_factory=lambda: np.zeros(0))   # per checked primary
    upper: np.ndarray = field(default_factory=lambda: np.zeros(0))
    checked: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # their cell positions
    failing: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # positions, narrowest first
    programs: int = 0
    groups: int = 0
    split_groups: int = 0       # wide groups solved as their parts per set of unknowns (a narrower, safe bound)
    known_primaries: int = 0    # primary cells the previous release published exactly: no longer protectable
    unprotectable: int = 0      # primary cells the margin totals alone give back, whatever is suppressed
    exempt: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # per checked primary

    def narrowest_share(self, value: np.ndarray) -> float | None:
        """The narrowest interval of a positive, protectable primary cell, as a share of its value (None: none
        bounded)."""
        v = value[self.checked]
        keep = (v > 0) & ~self.exempt
        share = (self.upper - self.lower)[keep] / v[keep]
        share = share[np.isfinite(share)]
        return float(share.min()) if len(share) else None


def requirement(value: np.ndarray, p: float) -> tuple[np.ndarray, np.ndarray]:
    """The interval a primary cell's must contain: [v - q, v + q] (cut at 0), q = max(p % of v, 1)."""
    q = np.maximum(value * p / 100.0, 1.0)
    return np.maximum(value - q, 0.0), value + q


def audit(cells: Cells, hidden: np.ndarray, p: float, exempt: np.ndarray | None = None,
          only: np.ndarray | None = None, exact_unknowns: float = EXACT_UNKNOWNS) -> Audit:
    """The attacker's interval for every primary cell that is hidden (of the `only` cells, if given), and those
    narrower than required (not counting exempt cells: unprotectable ones). A wide margin's group that would
    link more than exact_unknowns unknowns into one program is split (_split_wide: intervals never wider)."""
    n = len(hidden)
    present = ~cells.missing
    unknown = ((hidden & ~cells.known) | cells.withheld) & present
    targets = np.flatnonzero(cells.primary & unknown & (True if only is None else only))
    result = Audit(cells=int(present.sum()), primaries=int((cells.primary & present).sum()),
                   secondaries=int((hidden & ~cells.primary & present).sum()),
                   known_primaries=int((cells.primary & cells.known & hidden & present).sum()))
    # known cells that are primary cannot be protected any more (published before); they are not audited
    truth = np.where(np.isfinite(cells.true_value), cells.true_value, 0.0)  # a withheld count enters as 0
    uidx = np.flatnonzero(unknown)
    position = np.full(n, -1, dtype=np.int64)
    position[uidx] = np.arange(len(uidx))
    rows, cols, starts, offset = [], [], [], 0
    for group in cells.margins:
        member = (group >= 0) & present
        size = np.bincount(group[member], minlength=1)
        valid = member & (size[np.where(member, group, 0)] >= 2)  # a "total" of one figure is the figure
        pick = valid & unknown
        rows.append(group[pick] + offset)
        cols.append(position[pick])
        starts.append(offset)
        offset += len(size)
    row_of, col_of = np.concatenate(rows), np.concatenate(cols)
    constraint_ids, row_of = np.unique(row_of, return_inverse=True)
    margin_of = np.searchsorted(np.asarray(starts), constraint_ids, side="right") - 1
    m, k = len(constraint_ids), len(uidx)
    A = sparse.csr_matrix((np.ones(len(row_of)), (row_of, col_of)), shape=(m, k))
    A, result.split_groups = _split_wide(A, margin_of, cells.wide, k, exact_unknowns)
    A = _distinct_rows(A)
    residual = A @ truth[uidx]
    # components of the bipartite graph unknowns <-> constraints: each one is an independent program
    var_label, con_label = _components(A, k)
    result.groups = int(len(np.unique(con_label)))
    lo_need, hi_need = requirement(truth[targets], p)
    lower = np.zeros(len(targets))
    upper = np.full(len(targets), np.inf)
    # quick bound: a cell is at most the smallest remainder of its groups (counts are never negative)
    A_csc = A.tocsc()
    for t, cell in enumerate(targets):
        j = position[cell]
        cons = A_csc.indices[A_csc.indptr[j]:A_csc.indptr[j + 1]]
        if len(cons):
            upper[t] = residual[cons].min()
    by_component: dict[int, list[int]] = {}
    for t, cell in enumerate(targets):
        j = position[cell]
        if np.isfinite(upper[t]) and upper[t] >= hi_need[t] - TOLERANCE:
            by_component.setdefault(int(var_label[j]), []).append(t)
    con_order = np.argsort(con_label, kind="stable")
    con_sorted = con_label[con_order]
    var_order = np.argsort(var_label, kind="stable")
    var_sorted = var_label[var_order]
    programs = []
    for comp, members in by_component.items():
        cs = con_order[np.searchsorted(con_sorted, comp):np.searchsorted(con_sorted, comp, side="right")]
        vs = var_order[np.searchsorted(var_sorted, comp):np.searchsorted(var_sorted, comp, side="right")]
        b = residual[cs]
        ts = np.asarray(members)
        if len(cs) == 1 and len(vs) > 1:  # one group sum: anything from 0 to the remainder
            lower[ts], upper[ts] = 0.0, b[0]
            continue
        programs.append((cs, vs, ts, b))

    def solved(component):
        cs, vs, ts, b = component
        program = _Program(A[cs][:, vs].tocsc(), b)
        local = np.searchsorted(vs, position[targets[ts]])
        return ts, program.intervals(local, truth[uidx[vs]], lo_need[ts], hi_need[ts]), program.solved

    with ThreadPoolExecutor(max_workers=PROGRAM_THREADS) as pool:
        for ts, (low, high), solves in pool.map(solved, programs):
            lower[ts], upper[ts] = low, high
            result.programs += solves
    fails = (lower > lo_need + TOLERANCE) | (upper < hi_need - TOLERANCE)
    result.exempt = np.zeros(len(targets), dtype=bool) if exempt is None else exempt[targets]
    fails &= ~result.exempt
    result.lower, result.upper, result.checked = lower, upper, targets
    width = (upper - lower) / np.maximum(truth[targets], 1.0)
    order = np.flatnonzero(fails)[np.argsort(width[fails], kind="stable")]
    result.failing = targets[order]
    return result


def _components(A, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Labels of the connected sets of the bipartite graph unknowns <-> constraints: (per unknown, per row)."""
    m = A.shape[0]
    graph = sparse.bmat([[None, A.T], [A, None]], format="csr") if m and k else sparse.csr_matrix((k + m, k + m))
    _, label = connected_components(graph, directed=False)
    return label[:k], label[k:]


def _distinct_rows(A):
    """The rows of A, each set of unknowns once: a wide group's part inside one set of unknowns is often a group of
    a narrower margin again (a place's years inside a border's year: the place's year), and the same sum twice
    only makes every solve slower. Rows are compared exactly (their columns), so no constraint is lost."""
    A = sparse.csr_matrix(A)
    A.sort_indices()
    if A.shape[0] < 2:
        return A
    keys = np.empty(A.shape[0], dtype=object)
    keys[:] = [A.indices[a:b].tobytes() for a, b in zip(A.indptr[:-1], A.indptr[1:])]
    _, first = np.unique(keys, return_index=True)
    return A[np.sort(first)] if len(first) < A.shape[0] else A


def _split_wide(A, margin_of: np.ndarray, wide, k: int, cap: float):
    """The rows of the wide margins (in order) join the sets of unknowns the others link while the joined set
    holds at most `cap` unknowns; a group that would join a larger one is split into one row per set it
    touches, each fixed at its part's true sum. That is more than an attacker knows (the parts of a total, not
    only the total), so every interval found is inside the attacker's: a cell that passes is protected, and one
    that fails may be protected after all (it is given complements, or counted unprotectable). Returns the
    matrix and how many groups were split."""
    is_wide = np.isin(margin_of, np.asarray(wide, dtype=np.int64))
    if not is_wide.any():
        return A, 0
    kept = A[~is_wide]
    label, _ = _components(kept, k)
    pieces, split = [], 0
    for margin in wide:
        sub = A[np.flatnonzero(margin_of == margin)].tocoo()
        if not sub.nnz:
            continue
        size = np.bincount(label)
        pair = np.unique(np.stack([sub.row, label[sub.col]], axis=1), axis=0)   # (row, set) touched
        touched = np.bincount(pair[:, 0], minlength=sub.shape[0])
        # the sets each row would join, and how large the joined sets become
        nodes = len(size)
        link = sparse.csr_matrix((np.ones(len(pair)), (pair[:, 0] + nodes, pair[:, 1])),
                                 shape=(nodes + sub.shape[0],) * 2)
        _, joined = connected_components(link, directed=False)
        joined_size = np.bincount(joined[:nodes], weights=size, minlength=joined.max() + 1)
        refuse = (touched > 1) & (joined_size[joined[nodes:]] > cap)
        whole = sub.row[~refuse[sub.row]]
        accepted = sparse.csr_matrix((np.ones(len(whole)), (whole, sub.col[~refuse[sub.row]])), shape=sub.shape)
        accepted = accepted[np.flatnonzero(~refuse & (touched > 0))]
        if refuse.any():
            cut = refuse[sub.row]
            _, piece = np.unique(np.stack([sub.row[cut], label[sub.col[cut]]], axis=1), axis=0,
                                 return_inverse=True)
            piece = piece.ravel()
            pieces.append(sparse.csr_matrix((np.ones(len(piece)), (piece, sub.col[cut])),
                                            shape=(piece.max() + 1, k)))
            split += int(refuse.sum())
        kept = sparse.vstack([kept, accepted], format="csr")
        label, _ = _components(kept, k)
    return sparse.vstack([kept] + pieces, format="csr"), split


class _Program:
    """One component's linear program (HiGHS): x >= 0, the group sums fixed, objectives changed between solves
    so that each solve starts from the last basis. Every solution found also bounds the other cells: a cell
    already seen at or beyond what it needs is not solved for, so the intervals returned are exact where a cell
    fails and, where it passes, at least as narrow as the true ones (never wider)."""

    def __init__(self, matrix, b):
        self.matrix, self.b, self.solved = matrix, b, 0
        self.highs = _highs(matrix, b)

    def solve(self, columns: np.ndarray, costs: np.ndarray, maximise: bool):
        """(objective or +-inf, solution or None) for sum(costs * x[columns]) at its max or min."""
        self.solved += 1
        n = self.matrix.shape[1]
        if self.highs is None:
            c = np.zeros(n)
            c[columns] = -costs if maximise else costs
            res = linprog(c, A_eq=self.matrix, b_eq=self.b, bounds=(0, None), method="highs")
            if res.status == 3:
                return (np.inf if maximise else -np.inf), None
            if res.status != 0:
                return None, None
            return (-res.fun if maximise else res.fun), res.x
        h, core = self.highs
        if len(columns) > 1:
            # a batch objective is far from the last one: a fresh presolved solve is faster than walking there
            # from the last basis (the demo's whole table: 0.9 s against 3-5 s); single cells start warm
            h.clearSolver()
        h.changeColsCost(n, np.arange(n, dtype=np.int32), np.zeros(n))
        h.changeColsCost(len(columns), columns.astype(np.int32), costs.astype(float))
        h.changeObjectiveSense(core.ObjSense.kMaximize if maximise else core.ObjSense.kMinimize)
        h.run()
        status = h.getModelStatus()
        if status == core.HighsModelStatus.kUnbounded:
            return (np.inf if maximise else -np.inf), None
        if status != core.HighsModelStatus.kOptimal:
            return None, None
        return h.getInfo().objective_function_value, np.asarray(h.getSolution().col_value)

    def intervals(self, local: np.ndarray, truth: np.ndarray, lo_need: np.ndarray, hi_need: np.ndarray):
        """(lower, upper) per target column: exact where the target fails its requirement."""
        low, high = truth[local].copy(), truth[local].copy()   # the truth is one feasible point
        for maximise in (True, False):
            # solves over all unsettled targets at once first (each settles many), then one per target
            for _ in range(BATCH_ROUNDS):
                open_ = (high < hi_need - TOLERANCE) if maximise else (low > lo_need + TOLERANCE)
                if open_.sum() < 2:
                    break
                before = int(open_.sum())
                _, x = self.solve(local[open_], 1.0 / np.maximum(hi_need[open_], 1.0), maximise)
                self._seen(x, local, low, high)
                still = (high < hi_need - TOLERANCE) if maximise else (low > lo_need + TOLERANCE)
                if still.sum() > 0.9 * before:
                    break
            for t in range(len(local)):
                if (high[t] >= hi_need[t] - TOLERANCE) if maximise else (low[t] <= lo_need[t] + TOLERANCE):
                    continue
                best, x = self.solve(local[t:t + 1], np.ones(1), maximise)
                if best is not None and np.isinf(best):
                    high[t] = np.inf
                elif best is not None:
                    if maximise:
                        high[t] = max(high[t], best)
                    else:
                        low[t] = min(low[t], best)
                self._seen(x, local, low, high)
        return low, high

    @staticmethod
    def _seen(x, local, low, high) -> None:
        if x is not None:
            np.minimum(low, x[local], out=low)
            np.maximum(high, x[local], out=high)


def _highs(matrix, b):
    """HiGHS as scipy bundles it, kept between solves (warm starts); None: use linprog (cold, slower)."""
    if not WARM_HIGHS:
        return None
    try:
        from scipy.optimize._highspy import _core as core
    except ImportError:  # pragma: no cover - another scipy layout
        return None
    h = core._Highs()
    h.setOptionValue("output_flag", False)
    # presolved when there is no basis to start from (the first solve, a batch); with one, HiGHS starts from it
    h.setOptionValue("presolve", "choose")
    lp = core.HighsLp()
    lp.num_col_, lp.num_row_ = matrix.shape[1], matrix.shape[0]
    lp.col_cost_ = np.zeros(matrix.shape[1])
    lp.col_lower_ = np.zeros(matrix.shape[1])
    lp.col_upper_ = np.full(matrix.shape[1], core.kHighsInf)
    lp.row_lower_ = np.asarray(b, dtype=float)
    lp.row_upper_ = np.asarray(b, dtype=float)
    lp.a_matrix_.format_ = core.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.data.astype(float)
    h.passModel(lp)
    return h, core
