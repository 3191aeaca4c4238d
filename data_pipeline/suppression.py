"""Small-cell suppression: primary (values below k) and secondary for crossings (so margins give nothing back).

Secondary suppression runs in numpy over the crossing cells' margin groups; SQL only reads the cells and
marks the chosen ones, so the algorithm can be tested on its own (secondary_cells).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from data_pipeline import policy as policies
from data_pipeline.db import sql
from data_pipeline.release_sql import checked, flag, render, run

MARGINS = ("m_location_period_measure", "m_location_period", "m_border_period_measure", "m_location_year_measure")


def suppress_primary(con, rule: policies.Rule, columns: dict, counts) -> None:
    """Values below k (zeros too unless keep_zeros) become NULL with status 'suppressed'; counted first."""
    k, keep_zeros = rule.params["k"], rule.params.get("keep_zeros", False)
    for field in rule.fields:
        status = policies.status_column(rule.dataset, field)
        parts = dict(table=rule.dataset, flag=flag(rule), field=checked(field, columns),
                     status=checked(status, columns))
        predicate = f'"{flag(rule)}" and "{field}" is not null and "{field}" < ? and not (? and "{field}" = 0)'
        counts.add(rule, field, run(con, "release/count_by_publisher", [k, keep_zeros], table=rule.dataset,
                                    predicate=predicate), detail="primary", k=k)
        con.execute(render("release/suppress_primary", **parts), {"field": field, "k": k, "keep_zeros": keep_zeros})


def secondary_suppression(con) -> tuple[list[tuple], int]:
    """Suppress more crossing cells so that no margin gives a suppressed cell back by subtraction; returns the
    counts per publisher and how many suppressed cells are alone in a group with nothing to complement them."""
    table = con.sql(sql("release/crossings_cells")).to_arrow_table()

    def column(name, dtype):
        return table.column(name).to_numpy(zero_copy_only=False).astype(dtype)

    chosen, alone = secondary_cells(column("value", float), column("hidden", bool), column("withheld", bool),
                                    column("eligible", bool), [column(m, np.int64) for m in MARGINS])
    frame = pa.table({"_rid": pa.array(column("_rid", np.int64)[chosen], pa.int64())})
    con.register("_secondary_cells", frame)
    try:
        counts = con.execute(sql("release/secondary_counts")).fetchall()
        con.execute(sql("release/suppress_secondary"))
    finally:
        con.unregister("_secondary_cells")
    return counts, int(alone.sum())


def secondary_cells(value, hidden, withheld, eligible, margins) -> tuple[np.ndarray, np.ndarray]:
    """Complementary suppression, margin by margin, until nothing changes: a margin group of two or more cells
    whose unknowns (suppressed, dropped or publisher-withheld cells) number exactly one gets its smallest
    published cell suppressed too (positive values first, zeros only as a last resort; ties in key order).

    Returns (indices of cells to suppress, mask of suppressed cells still alone among the unknowns of some group
    because nothing in it is left to suppress: its other cells are missing)."""
    hidden = hidden.copy()
    start = hidden.copy()
    counts = [g.max(initial=-1) + 1 for g in margins]
    sizes = [np.bincount(g, minlength=n)[g] for g, n in zip(margins, counts)]
    changed = True
    while changed:
        changed = False
        for group, size, n in zip(margins, sizes, counts):
            lonely = (np.bincount(group, weights=hidden | withheld, minlength=n)[group] == 1) & (size > 1)
            pick = _smallest_per_group(group, value, eligible & ~hidden & lonely)
            if len(pick):
                hidden[pick] = True
                changed = True
    alone = np.zeros(len(hidden), dtype=bool)
    for group, size, n in zip(margins, sizes, counts):
        alone |= hidden & (np.bincount(group, weights=hidden | withheld, minlength=n)[group] == 1) & (size > 1)
    return np.flatnonzero(hidden & ~start), alone


def _smallest_per_group(group: np.ndarray, value: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Per group, the first of the masked cells by (zero last, value, position)."""
    idx = np.flatnonzero(mask)
    if not len(idx):
        return idx
    order = idx[np.lexsort((idx, value[idx], value[idx] == 0, group[idx]))]
    _, first = np.unique(group[order], return_index=True)
    return order[first]
