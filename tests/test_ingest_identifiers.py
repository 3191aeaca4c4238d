"""The identifiers ingest writes into SQL text are checked against a pattern or an allow-list (identifiers.py)."""

import pytest

from data_pipeline.ingest import identifiers
from data_pipeline.ingest.ingest import _values
from data_pipeline.ingest.profiles import builtin_profiles


def test_our_variable_names_pass():
    for profile in builtin_profiles().values():
        for key in _values(profile, {"source_id": "s", "series_id": "s", "version": 1}):
            assert identifiers.set_variable(f"bl_{key}") == f"set variable bl_{key} = $value"
    assert identifiers.variable("bl_stg_p12") == "bl_stg_p12"


@pytest.mark.parametrize("name", ["bl_x = 1; drop table crossings; --", "x", "bl_", "BL_X", "bl_x y", "bl_é", None])
def test_other_variable_names_are_refused(name):
    with pytest.raises(ValueError):
        identifiers.variable(name)


def test_only_working_relations_are_dropped():
    assert identifiers.drop("view", "_incoming") == "drop view _incoming"
    assert identifiers.drop("table", "_typed") == "drop table _typed"
    for kind, name in [("table", "crossings"), ("view", "_typed; drop table sources"), ("schema", "_typed"),
                       ("table", "quarantine")]:
        with pytest.raises(ValueError):
            identifiers.drop(kind, name)
