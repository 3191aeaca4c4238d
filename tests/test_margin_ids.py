"""suppression.margin_ids numbers each margin's groups in numpy from the numbered parts of its key that
sql/release/crossings_cells.sql gives: the ids must be those DuckDB's dense_rank over the key gives (minus one),
whatever the parts' ranges (packed into one number, or re-numbered on the way where they cannot be)."""

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from data_pipeline.publish import suppression

PERIODS = ("period_day", "period_year")


def _cells(rng, n, high, null_share=0.0):
    """A table of the parts every margin's key reads: ranks from 1 (as dense_rank gives them) and periods."""
    columns = {"position": pa.array(np.arange(n), pa.int64())}
    for name in {p for key in suppression.MARGIN_KEYS.values() for p in key}:
        values = rng.integers(-high if name in PERIODS else 1, high, n)
        mask = rng.random(n) < null_share if name in PERIODS else np.zeros(n, dtype=bool)
        columns[name] = pa.array(values, pa.int64(), mask=mask)
    return pa.table(columns)


def _dense_rank(table, key):
    con = duckdb.connect()
    con.register("cells", table)
    order = ", ".join(key)   # nulls last: DuckDB's default, as crossings_cells.sql's numbering had
    return con.execute(f"select dense_rank() over (order by {order}) - 1 from cells order by position").fetchnumpy()


@pytest.mark.parametrize("n, high, null_share", [(1, 3, 0.0), (500, 4, 0.2), (20_000, 50, 0.0),
                                                  (5_000, 2**40, 0.1), (3_000, 2**61, 0.0)])
def test_margin_ids_are_dense_ranks_of_the_key(n, high, null_share):
    table = _cells(np.random.default_rng(n), n, high, null_share)
    ids = suppression.margin_ids(table)
    for margin, key in suppression.MARGIN_KEYS.items():
        expected = _dense_rank(table, key)
        got = ids[margin]
        assert got.dtype == np.int64
        assert np.array_equal(got, next(iter(expected.values())).astype(np.int64)), margin


def test_no_cells_no_groups():
    ids = suppression.margin_ids(_cells(np.random.default_rng(0), 0, 5))
    assert all(len(v) == 0 for v in ids.values())
