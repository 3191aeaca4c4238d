"""The attacker's own shortcuts (tests/attacker.py), checked against the attack without them, so that a faster
attack is not a weaker one: starting the LP attack from the differencing attack's tables, and solving large sets
by the interior point method. A table whose suppressions protect some of its small counts and not others."""

from __future__ import annotations

import numpy as np
import pandas as pd

import attacker
from attacker import K, MARGINS, _component_intervals, feasible_extremes


def _suppressed_table(seed: int = 0) -> pd.DataFrame:
    """Six crossing points on two borders x 24 months x 3 measures; the small counts suppressed and half the other
    counts at random (too few to protect them all)."""
    rng = np.random.default_rng(seed)
    months = pd.date_range("2023-01-01", periods=24, freq="MS")
    rows = [("USA", f"P{p}", "inbound", m.date(), "month", measure, "USA", "CAN" if p % 2 else "MEX", m.year)
            for p in range(6) for m in months for measure in ("Trucks", "Buses", "Trains")]
    table = pd.DataFrame(rows, columns=["reporter_iso3", "location_id", "direction", "period_start",
                                        "period_granularity", "measure", "country_iso3", "neighbor_iso3", "year"])
    value = rng.integers(10, 400, len(table)).astype(float)
    small = rng.random(len(table)) < 0.06
    value[small] = rng.integers(1, K, int(small.sum()))
    hidden = small | (rng.random(len(table)) < 0.5)
    return table.assign(true_value=value, value_status=np.where(hidden, "suppressed", "reported"))


def test_the_lp_attack_started_from_the_differencing_tables_narrows_the_same_counts():
    truth = _suppressed_table()
    hidden = truth["value_status"].eq("suppressed").to_numpy()
    earlier = (pd.to_datetime(truth["period_start"]) < pd.Timestamp("2024-10-01")).to_numpy()   # 3 months later
    alone = _component_intervals(truth, hidden, MARGINS)
    small = truth["true_value"].lt(K).sum()
    assert 0 < len(alone) < small, "the table must leave some small counts narrowed and protect others"
    value = truth["true_value"].to_numpy(float)
    extremes = feasible_extremes(truth)
    differencing = _component_intervals(truth, hidden, MARGINS, releases=(earlier,), extremes=extremes)
    assert set(alone.index) < set(differencing.index)   # the attacker who holds more narrows more
    assert (extremes[0] < value).any() and (extremes[1] > value).any()   # its tables were kept
    started = _component_intervals(truth, hidden, MARGINS, extremes=extremes)
    assert sorted(started.index) == sorted(alone.index)


def test_the_interior_point_method_narrows_the_same_counts_as_the_simplex(monkeypatch):
    truth = _suppressed_table(seed=2)
    hidden = truth["value_status"].eq("suppressed").to_numpy()
    simplex = _component_intervals(truth, hidden, MARGINS)
    monkeypatch.setattr(attacker, "LARGE_SET", 1)   # every set, however small, by the interior point method
    interior = _component_intervals(truth, hidden, MARGINS)
    assert len(simplex) > 0 and sorted(interior.index) == sorted(simplex.index)
