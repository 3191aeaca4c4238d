"""A crossing point and a route may share a location code (two publishers' code lists overlap): they are two places.
The previous release's cells are matched to the current ones by place kind too, so a route's figures are never
kept suppressed because a crossing point of the same code had a small count, and neither place's cells take part
in the other's margins. Real CLI, real DuckDB files, two labelled synthetic layouts with profiles of their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from cube_support import ingest_profiled, publish
from support import query

K = 10
CODE = "X-1"
POINT_PROFILE = """
[profile]
name = "test-points"
dataset = "crossings"
title = "SYNTHETIC: a crossing point"
publisher = "Synthetic point publisher"
series = "test-points"
synthetic = true

[detect]
columns = ["code", "month", "dir", "measure", "n"]

[dates]
formats = ["%Y-%m"]

[fields]
location_id = "code"
location_name = "code"
country_iso3 = { value = "FIN" }
neighbor_iso3 = { value = "RUS" }
reporter_iso3 = { value = "FIN" }
direction = "dir"
period = "month"
period_granularity = { value = "month" }
measure = "measure"
value = "n"
"""
# the same reporter, code, direction, periods and measure: only the place kind tells the route apart
ROUTE_PROFILE = (POINT_PROFILE.replace("test-points", "test-routes").replace("a crossing point", "a route")
                 .replace("point publisher", "route publisher")
                 .replace('country_iso3 = { value = "FIN" }\nneighbor_iso3 = { value = "RUS" }\n',
                          'place_kind = { value = "route" }\n'))
POLICY = (f'[policy]\nname = "place kinds"\n\n[[rule]]\nid = "small"\ndataset = "crossings"\n'
          f'action = "suppress_below"\nfields = ["value"]\nk = {K}\naccept_unprotectable = true\n'
          f'reason = "small counts"\n')
MONTHS = ["2024-01", "2024-02", "2024-03"]
MEASURES = ["persons", "vehicles", "trucks"]
SMALL = ("2024-01", "persons")   # the crossing point's one small count
ROUTE = {"2024-01": 8801, "2024-02": 9902, "2024-03": 9413}   # the route's persons: large, all of them


def _point_rows() -> list[tuple[str, str, int]]:
    rows, value = [], 500
    for month in MONTHS:
        for measure in MEASURES:
            value += 37
            rows.append((month, measure, 3 if (month, measure) == SMALL else value))
    return rows


def _csv(rows) -> str:
    return "code,month,dir,measure,n\n" + "".join(f"{CODE},{m},inbound,{me},{n}\n" for m, me, n in rows)


def _cells(release: Path, kind: str) -> dict[tuple[str, str], tuple]:
    rows = query(release / "borderlens.duckdb",
                 "select strftime(period_start, '%Y-%m'), measure, value, value_status from crossings "
                 "where location_id = ? and place_kind = ?", [CODE, kind])
    return {(m, me): (v, s) for m, me, v, s in rows}


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    folder = tmp_path_factory.mktemp("place-kind")
    points, routes = _csv(_point_rows()), _csv([(m, "persons", n) for m, n in ROUTE.items()])
    # first release: the crossing point alone; its small count is suppressed
    first, _ = ingest_profiled(folder, POINT_PROFILE, points, name="points", db_name="w1.duckdb")
    publish(first, folder / "r1", POLICY)
    # second: the route arrives, with figures under the very key of the crossing point's suppressed cells
    work, _ = ingest_profiled(folder, POINT_PROFILE, points, name="points", db_name="w2.duckdb")
    ingest_profiled(folder, ROUTE_PROFILE, routes, name="routes", db_name="w2.duckdb")
    publish(work, folder / "r2", POLICY, previous=folder / "r1")
    return folder / "r1", folder / "r2", work


def test_the_two_places_share_every_key_column_but_the_kind(releases):
    _, _, work = releases
    keys = query(work, "select place_kind, reporter_iso3, reporter_org, location_id, direction, period_granularity "
                       "from crossings group by all order by all")
    assert [k[0] for k in keys] == ["crossing_point", "route"]
    assert len({k[1:] for k in keys}) == 1


def test_a_route_is_not_kept_suppressed_for_a_crossing_point_of_the_same_code(releases):
    first, second, _ = releases
    before = _cells(first, "crossing_point")
    suppressed_before = {cell for cell, (_, status) in before.items() if status == "suppressed"}
    # the crossing point's small count and a complement in the route's months were suppressed
    assert SMALL in suppressed_before and len(suppressed_before) >= 2
    assert {m for m, me in suppressed_before if me == "persons"} & set(ROUTE)
    route = _cells(second, "route")
    assert route == {(m, "persons"): (float(n), "reported") for m, n in ROUTE.items()}
    # the crossing point's cells suppressed before stay suppressed
    point = _cells(second, "crossing_point")
    assert all(point[cell] == (None, "suppressed") for cell in suppressed_before)
    carried = query(second / "borderlens.duckdb",
                    "select coalesce(sum(rows_affected), 0) from redactions where detail = 'carried'")
    # carried: the crossing point's complements of the first release, which this one would publish; no route cell
    assert carried == [(len(suppressed_before - {SMALL}),)]
