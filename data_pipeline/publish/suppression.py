"""Small-cell suppression: primary (values below k) and secondary for crossings (so margins give nothing back).

Secondary suppression runs in numpy over the crossing cells' margin groups; SQL only reads the cells and
marks the chosen ones, so the algorithm can be tested on its own (secondary_cells). The linear-programming
audit that decides whether more complements are needed is disclosure_audit.py.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from data_pipeline.publish import disclosure_audit, protection
from data_pipeline.publish import policy as policies
from data_pipeline.db import sql
from data_pipeline.errors import UserError
from data_pipeline.publish.release_sql import checked, flag, render, run

MARGINS = ("m_location_period_measure", "m_location_period", "m_border_period_measure", "m_location_year_measure",
           # the wider totals the dashboard prints (docs/policy.md): solved exactly while their groups link few
           # unknowns, else split into parts (disclosure_audit._split_wide)
           "m_border_year_measure", "m_country_period_measure", "m_location_measure", "m_reporter_period_measure")
WIDE = MARGINS[4:]
# Each margin's key as crossings_cells.sql gives it in parts: the numbered columns before the period, the period (a
# day or a year: none for m_location_measure) and the numbered columns after it.
MARGIN_KEYS = {"m_location_period_measure": ("r1a", "period_day", "r1b"),
               "m_location_period": ("r2a", "period_day", "r2b"),
               "m_border_period_measure": ("r3a", "period_day", "r3b"),
               "m_location_year_measure": ("r4a", "period_year", "r4b"),
               "m_border_year_measure": ("r5a", "period_year", "r4b"),
               "m_country_period_measure": ("r6a", "period_day", "r3b"),
               "m_location_measure": ("r7",),
               "m_reporter_period_measure": ("r8a", "period_day", "r3b")}
# the same margins over the cells the previous release held: its totals are known too (-1: not held)
PREVIOUS_MARGINS = tuple("prev_" + m[2:] for m in MARGINS)


def suppress_primary(con, rule: policies.Rule, columns: dict, counts) -> None:
    """Values below k (zeros too unless keep_zeros) become NULL with status 'suppressed'; counted first."""
    assert isinstance(rule.options, policies.SuppressBelow)
    k, keep_zeros = rule.options.k, rule.options.keep_zeros
    for field in rule.fields:
        status = policies.status_column(rule.dataset, field)
        parts = dict(table=rule.dataset, flag=flag(rule), field=checked(field, columns),
                     status=checked(status, columns))
        predicate = f'"{flag(rule)}" and "{field}" is not null and "{field}" < ? and not (? and "{field}" = 0)'
        counts.add(rule, field, run(con, "release/count_by_publisher", [k, keep_zeros], table=rule.dataset,
                                    predicate=predicate), detail="primary", k=k)
        con.execute(render("release/suppress_primary", **parts), {"field": field, "k": k, "keep_zeros": keep_zeros})


def secondary_suppression(con, k: float | None, p: float) -> tuple[list[tuple], int, dict]:
    """Suppress more crossing cells so that no margin gives a suppressed cell back, by subtraction or by a linear
    program over all margins (and the previous release's); returns the counts per publisher, how many suppressed
    cells are alone in a group with nothing to complement them, and the audit (disclosure_audit.Audit and the
    cells' _rid and true values, for the figures and the one line naming a cell that fails)."""
    table = con.sql(sql("release/crossings_cells")).to_arrow_table()
    hidden, carried, withheld, missing, eligible, known, in_previous = (
        _column(table, name, bool)
        for name in ("hidden", "carried", "withheld", "missing", "eligible", "known", "in_previous"))
    true_value, value, rid = (_column(table, "true_value", float), _column(table, "value", float),
                              _column(table, "_rid", np.int64))
    ids = margin_ids(table)
    del table   # 1.3 GB at 10M cells: gone before the margins' arrays are made
    primary = (hidden & ~carried) | (carried & (true_value < (k if k is not None else 0)))
    # a margin the previous release gives no group in (always, on a first publish): one shared array of -1, not
    # eight of 80 MB each at 10M cells
    outside = np.broadcast_to(np.int64(-1), len(rid))
    previous = [np.where(in_previous, ids[m], -1) if in_previous.any() else outside for m in MARGINS]
    margins = [ids.pop(m) for m in MARGINS] + previous + dimension_margins(con, rid)
    cells = disclosure_audit.Cells(true_value=true_value, hidden=hidden, withheld=withheld, missing=missing,
                                   eligible=eligible & ~known, known=known, primary=primary, margins=margins,
                                   wide=tuple(i for i, m in enumerate(MARGINS + PREVIOUS_MARGINS)
                                              if m.replace("prev_", "m_") in WIDE))
    sizes = group_sizes(margins)  # once: protect() calls secondary() in every round
    alone_mask = np.zeros(len(hidden), dtype=bool)

    def secondary(current):
        nonlocal alone_mask
        chosen, alone_mask = secondary_cells(value, current, cells.withheld, cells.eligible, margins, sizes)
        return chosen

    # slices for the protectability test: a border's places over a year (by period, then by place), now and before
    slices = tuple((MARGINS.index(a) + shift, MARGINS.index(b) + shift) for shift in (0, len(MARGINS))
                   for a, b in (("m_border_period_measure", "m_location_year_measure"),
                                ("m_location_year_measure", "m_border_period_measure")))
    final, result = protection.protect(cells, secondary, p, slices)
    chosen = np.flatnonzero(final & ~hidden)
    frame = pa.table({"_rid": pa.array(rid[chosen], pa.int64())})
    con.register("_secondary_cells", frame)
    try:
        counts = con.execute(sql("release/secondary_counts")).fetchall()
        con.execute(sql("release/suppress_secondary"))
    finally:
        con.unregister("_secondary_cells")
    return counts, int(alone_mask.sum()), {"audit": result, "rid": rid, "true_value": true_value}


def _column(table: pa.Table, name: str, dtype) -> np.ndarray:
    """A column as a numpy array of its own (not a view that would keep the Arrow table's memory)."""
    return np.array(table.column(name).to_numpy(zero_copy_only=False), dtype=dtype)


def margin_ids(table: pa.Table) -> dict[str, np.ndarray]:
    """Each margin's group of every cell: its groups numbered 0.. in the order of their keys (MARGIN_KEYS), as
    dense_rank over the cells' key columns would number them. The period's NULL (none) sorts last, as in SQL; the
    periods are numbered first (a few hundred where the days span decades), so that a key packs into few numbers."""
    parts = {}
    for name in {part for key in MARGIN_KEYS.values() for part in key}:
        values = table.column(name)
        if values.null_count:
            values = values.fill_null(int(pc.max(values).as_py() or 0) + 1)
        values = np.asarray(values.to_numpy(), dtype=np.int64)
        parts[name] = _ordered_ids(values - values.min(initial=0)) if name.startswith("period_") else values
    return {margin: _tuple_ids([parts[p] for p in key]) for margin, key in MARGIN_KEYS.items()}


def _tuple_ids(parts: list[np.ndarray]) -> np.ndarray:
    """Dense ids 0.. of the rows' tuples of whole numbers, in the tuples' order: the parts packed into one number
    (each from 0, so the order holds), re-numbered first where one number cannot hold them all."""
    packed = np.zeros(len(parts[0]), dtype=np.int64)
    span = 1
    for part in parts:
        low = int(part.min(initial=0))
        size = int(part.max(initial=0)) - low + 1
        if span * size >= 1 << 62:
            packed = _ordered_ids(packed)
            span = int(packed.max(initial=0)) + 1
        if span * size >= 1 << 62:   # the part alone spans too much: its own numbers (fewer than the cells)
            part, low = _ordered_ids(part - low), 0
            size = int(part.max(initial=0)) + 1
        packed *= size
        packed += part
        packed -= low
        span *= size
    return _ordered_ids(packed)


def _ordered_ids(values: np.ndarray) -> np.ndarray:
    """values (whole numbers from 0) numbered 0.. in their order: by a table of the numbers present where they span
    not much more than there are values (at 10M cells 0.1 s a margin), else by pandas.factorize (a hash table)."""
    span = int(values.max(initial=-1)) + 1
    if span <= 8 * len(values) + 1024:
        present = np.zeros(span, dtype=bool)
        present[values] = True
        rank = np.cumsum(present, dtype=np.int64)
        rank -= 1
        return rank[values]
    import pandas as pd

    return np.asarray(pd.factorize(values, sort=True)[0], dtype=np.int64)


def dimension_margins(con, rid: np.ndarray) -> list[np.ndarray]:
    """Each dimension's margin over the cells (the cells sharing the whole key and every other code), and the same
    over the cells the previous release held: group ids in the order of rid (-1: not in that margin)."""
    table = con.sql(sql("release/crossings_dimension_margins")).to_arrow_table()
    if not table.num_rows:
        return []
    position = np.argsort(rid)
    where = position[np.searchsorted(rid, table.column("_rid").to_numpy(), sorter=position)]
    names = table.column("summed_dimension").to_numpy(zero_copy_only=False)
    margins = []
    for name in np.unique(names):
        chosen = names == name
        for groups in ("margin_group", "previous_group"):
            group = np.full(len(rid), -1, dtype=np.int64)
            group[where[chosen]] = table.column(groups).to_numpy(zero_copy_only=False)[chosen]
            margins.append(group)
    return margins


def audit_figures(con, found: dict, p: float, previous, accept_unprotectable: bool = False) -> dict:
    """The audit's figures for publish --json (operator) and the release. A cell that fails, or that nothing
    can protect (unless the rule accepts those), stops the publish with one line naming it (never its value)."""
    result, rid = found["audit"], found["rid"]
    value = np.where(np.isfinite(found["true_value"]), found["true_value"], 0.0)
    lost = result.checked[result.exempt] if not accept_unprotectable else result.failing[:0]
    for cells, problem in ((result.failing, "the published cells and margin totals bound it to +-{:.0%} of its "
                                            "value (the policy asks for +-{:g} %)"),
                           (lost, "the margin totals alone bound it to +-{:.0%} of its value whatever is "
                                  "suppressed (the policy asks for +-{:g} %; accept_unprotectable = true "
                                  "publishes the release with them counted)")):
        if not len(cells):
            continue
        cell = int(cells[0])
        i = int(np.flatnonzero(result.checked == cell)[0])
        half = (result.upper[i] - result.lower[i]) / 2 / max(value[cell], 1.0)
        location, reporter, direction, period, granularity, measure = con.execute(
            sql("release/cell_key"), {"rid": int(rid[cell])}).fetchall()[0]
        raise UserError(f"suppression audit failed for crossings cell {location} / {reporter} / {direction} / "
                        f"{granularity} {period} / {measure}: {problem.format(half, p)}; {len(cells)} cell(s) "
                        f"like it; nothing was published")
    share = result.narrowest_share(value)
    return {"cells": result.cells, "primaries": result.primaries, "secondaries": result.secondaries,
            "primaries_published_before": result.known_primaries, "unprotectable": result.unprotectable,
            "protection_percent": p, "narrowest_interval_share": None if share is None else round(share, 4),
            "margin_groups": result.groups, "linear_programs": result.programs,
            "previous_release": None if previous is None else str(previous), "passed": True}


def group_sizes(margins: list[np.ndarray]) -> list[np.ndarray]:
    """Per margin (group ids, -1: outside it), the number of cells in each group."""
    return [np.bincount(g[g >= 0], minlength=1) for g in margins]


def secondary_cells(value, hidden, withheld, eligible, margins, sizes=None) -> tuple[np.ndarray, np.ndarray]:
    """Complementary suppression, margin by margin, until nothing changes: a margin group of two or more cells
    whose unknowns (suppressed, dropped or publisher-withheld cells) number exactly one gets its smallest
    published cell suppressed too (positive values first, zeros only as a last resort; ties in key order).

    margins: group ids per cell, -1 for a cell outside the margin (as a group of its own: never lonely). Returns
    (indices of cells to suppress, mask of suppressed cells still alone among the unknowns of some group because
    nothing in it is left to suppress: its other cells are missing). sizes: group_sizes(margins), when the caller
    has them."""
    hidden = hidden.copy()
    start = hidden.copy()
    sizes = group_sizes(margins) if sizes is None else sizes
    # a margin without a group of two or more cells has nothing to give back (the previous release's, when there
    # is none: every cell outside it): skipped, half of the calls below at 10M cells
    kept = [i for i, n in enumerate(sizes) if n.max(initial=0) > 1]
    margins, sizes = [margins[i] for i in kept], [sizes[i] for i in kept]

    def lonely(group, size):  # cells of the groups of two or more with exactly one unknown (per group, then per cell)
        # counted over the unknown cells' groups only (a few of the cells), not as weights over every cell: at 10M
        # cells 46 -> about 10 ms a call, and it is called for every margin in every round
        of_unknowns = group[np.flatnonzero(hidden | withheld)]
        unknowns = np.bincount(of_unknowns[of_unknowns >= 0], minlength=len(size))
        lonely_group = np.zeros(len(size) + 1, dtype=bool)   # the last, which -1 reads: outside the margin, never
        lonely_group[:-1] = (unknowns == 1) & (size > 1)
        return lonely_group[group]

    changed = True
    while changed:
        changed = False
        for group, size in zip(margins, sizes):
            pick = _smallest_per_group(group, value, eligible & ~hidden & lonely(group, size))
            if len(pick):
                hidden[pick] = True
                changed = True
    alone = np.zeros(len(hidden), dtype=bool)
    for group, size in zip(margins, sizes):
        alone |= hidden & lonely(group, size)
    return np.flatnonzero(hidden & ~start), alone


def _smallest_per_group(group: np.ndarray, value: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Per group, the first of the masked cells by (zero last, value, position)."""
    idx = np.flatnonzero(mask)
    if not len(idx):
        return idx
    order = idx[np.lexsort((idx, value[idx], value[idx] == 0, group[idx]))]
    _, first = np.unique(group[order], return_index=True)
    return order[first]
