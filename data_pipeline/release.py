"""`borderlens publish`: apply the policy to an in-memory copy of the working data and write a release folder.

The working database is attached read-only. Rules run on in-memory scratch tables; the release's DuckDB file is
created fresh and written once (CREATE TABLE AS from redacted results, never updated), so no page of it ever
held a protected value. The folder is built beside RELEASE_DIR and swapped in with one atomic rename.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import math
import os
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from data_pipeline import policy as policies
from data_pipeline.db import sql
from data_pipeline.errors import UserError

DATASETS = ("crossings", "exercise_notices", "infrastructure_projects")
REFERENCE_TABLES = ("borders", "countries", "vd_thresholds")
BORDER_COLUMN = {"crossings": "border_id", "exercise_notices": "nearest_border_id",
                 "infrastructure_projects": "nearest_border_id"}
# Fixed SQL fragments (never user text): where each dataset keeps its geometry, and how a cell replaces it.
GEOM_SQL = {
    "crossings": {"geom": "cast(null as varchar)", "geom_set": ""},
    "exercise_notices": {"geom": 't."area_geojson"', "geom_set": '"area_geojson" = c.cell_geojson,'},
    "infrastructure_projects": {"geom": 't."geometry_geojson"',
                                "geom_set": '"geometry_geojson" = c.cell_geojson, "geometry_type" = \'Polygon\','},
}
MARGINS = ("m_location_period_measure", "m_location_period", "m_border_period_measure", "m_location_year_measure")
PUBLISH_DATE_ENV = "BORDERLENS_PUBLISH_DATE"


def publish_date() -> date:
    """Today, or BORDERLENS_PUBLISH_DATE=YYYY-MM-DD (tests and re-runs of a past release)."""
    text = os.environ.get(PUBLISH_DATE_ENV)
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{PUBLISH_DATE_ENV} must be a date YYYY-MM-DD, not {text!r}") from None


# ---------------------------------------------------------------------------------------------- SQL helpers


def _checked(name: str, allowed) -> str:
    """An identifier for a SQL template, only ever one from a fixed allow-list (and never one with a quote)."""
    if name not in allowed or '"' in name:
        raise ValueError(f"identifier {name!r} is not allowed here")
    return name


def _render(name: str, **parts: str) -> str:
    """sql/<name>.sql with {placeholders} filled by identifiers and fragments that code chose, never user text."""
    text = sql(name)
    for key, value in parts.items():
        text = text.replace("{" + key + "}", value)
    leftover = re.search(r"\{[a-z_]+\}", text)
    if leftover:
        raise ValueError(f"{name}: {leftover.group(0)} not filled")
    return text


def _run(con, name: str, params=None, **parts):
    return con.execute(_render(name, **parts), params or []).fetchall()


def _flag(rule: policies.Rule) -> str:
    return f"_r{rule.number}"


# ---------------------------------------------------------------------------------------------- publish


def publish(db_path, policy_path, out_dir) -> dict:
    """Write the release for db_path under policy_path to out_dir; returns release_id, path and counts."""
    from data_pipeline import extracts

    policy = policies.load(policy_path)
    created = publish_date()
    db_path, out = Path(db_path), Path(out_dir)
    if not db_path.is_file():
        raise UserError(f"database not found: {db_path}")
    _check_out(out)
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    try:
        try:
            con.execute(sql("release/attach_work"), {"path": str(db_path)})
        except duckdb.Error as exc:
            raise UserError(f"cannot open database {db_path}: {str(exc).splitlines()[0]}") from None
        tables = {r[0] for r in con.execute(sql("release/work_tables")).fetchall()}
        missing = [t for t in (*DATASETS, "sources", "revisions") if t not in tables]
        if missing:
            raise UserError(f"{db_path} is not a borderlens working database (no table {missing[0]})")
        present = set(con.execute(sql("release/work_columns")).fetchall())
        expected = {(d, f) for d, fields in policies.dataset_columns().items() for f in fields}
        if expected - present:
            raise UserError(f"{db_path} has an older schema: run `borderlens status --db {db_path}` to upgrade it")
        for table in REFERENCE_TABLES:
            if table in tables:
                _run(con, "release/load_reference", table=_checked(table, REFERENCE_TABLES))
        redactions, notes = apply_policy(con, policy, created)
        tmp = _temp_dir(out)
        try:
            info = _write_database(con, tmp / "borderlens.duckdb", policy, created, redactions,
                                   [t for t in REFERENCE_TABLES if t in tables])
            extracts.write_release_extracts(tmp, info)
            _write_json(tmp / "redactions.json", {"release_id": info["release_id"], "created": created.isoformat(),
                                                   "policy": policy.name, "redactions": redactions})
            _write_json(tmp / "release.json", {
                "release_id": info["release_id"], "created": created.isoformat(),
                "row_counts": info["row_counts"],
                "policy": {"name": policy.name, "file": Path(policy.path).name,
                           "rules": [r.id for r in policy.rules], "text": policy.plain_text()},
            })
            _sync_tree(tmp)
            _swap_in(tmp, out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    finally:
        con.close()
    return {"release_id": info["release_id"], "path": str(out), "created": created.isoformat(),
            "row_counts": info["row_counts"],
            "redactions": sum(r["rows_affected"] for r in redactions if r["rule_id"]), "notes": notes}


def _write_json(path: Path, payload) -> None:
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------- the policy


def apply_policy(con, policy: policies.Policy, created: date) -> tuple[list[dict], dict]:
    """Load scratch copies and run the rules on them; returns the redaction counts (never values) and notes
    for the operator.

    Conditions are judged on the working values before any rule runs. Then: embargo, drop, suppress_below
    (primary, then secondary for crossings), and round_to / coarsen_time / coarsen_location in file order.
    """
    columns = policies.dataset_columns()
    counts = _Counts()
    notes: dict = {}
    for dataset in DATASETS:
        _run(con, "release/load_dataset", table=_checked(dataset, DATASETS))
        if dataset == "crossings":
            con.execute(sql("release/crossings_time_precision"))
        for rule in policy.rules_for(dataset):
            _run(con, "release/flag_add", table=dataset, flag=_flag(rule))
            if rule.when:
                for name in rule.when.columns:  # defence in depth: the parser already checked them
                    _checked(name, columns[dataset])
            _run(con, "release/flag_set", list(rule.when.params) if rule.when else [], table=dataset,
                 flag=_flag(rule), condition=rule.when.sql if rule.when else "true")
    for rule in policy.rules:
        if rule.action == "embargo_days":
            _embargo(con, rule, columns[rule.dataset], created, counts)
    for rule in policy.rules:
        if rule.action == "drop":
            _drop(con, rule, columns[rule.dataset], counts)
    for rule in policy.rules:
        if rule.action == "suppress_below":
            _suppress(con, rule, columns[rule.dataset], counts)
    protecting = [r for r in policy.rules_for("crossings")
                  if "value" in r.fields and r.action in ("suppress_below", "drop")]
    if protecting:
        rule = next((r for r in protecting if r.action == "suppress_below"), protecting[0])
        secondary, alone = _secondary_suppression(con)
        counts.add(rule, "value", secondary, detail="secondary", k=rule.params.get("k"))
        notes["crossings_cells_alone_in_a_margin"] = alone
    for rule in policy.rules:
        if rule.action in ("round_to", "coarsen_time"):
            statement, params = {"round_to": ("release/round_field", {"base": rule.params.get("base")}),
                                 "coarsen_time": ("release/coarsen_time", {"unit": rule.params.get("to")})}[rule.action]
            for field in rule.fields:
                parts = dict(table=rule.dataset, flag=_flag(rule), field=_checked(field, columns[rule.dataset]))
                counts.add(rule, field, _run(con, "release/count_by_publisher", table=rule.dataset,
                                             predicate=f'"{_flag(rule)}" and "{field}" is not null'))
                con.execute(_render(statement, **parts), {"field": field, **params})
        elif rule.action == "coarsen_location":
            _coarsen_location(con, rule, counts)
    for dataset in DATASETS:
        if policy.rules_for(dataset, "coarsen_location"):
            _cell_distances(con, dataset)
        for field, publisher, n in _run(con, "release/withheld_counts", table=dataset):
            counts.rows.append({"rule_id": None, "action": "withheld_by_publisher", "dataset": dataset,
                                "field": field, "publisher": publisher, "reason": "withheld by publisher",
                                "rows_affected": int(n), "k": None, "precision": None, "precision_km": None,
                                "detail": None})
    _ruled_fields(con, policy)
    return counts.rows, notes


class _Counts:
    """The redactions rows: per rule, field and publisher, how many values were withheld (never the values)."""

    def __init__(self):
        self.rows: list[dict] = []

    def add(self, rule: policies.Rule, field: str, per_publisher, detail=None, k=None) -> None:
        for publisher, n in per_publisher:
            self.rows.append({"rule_id": rule.id, "action": rule.action, "dataset": rule.dataset, "field": field,
                              "publisher": publisher, "reason": rule.reason, "rows_affected": int(n), "k": k,
                              "precision": rule.precision, "precision_km": rule.cell_km, "detail": detail})


def _embargo(con, rule: policies.Rule, columns: dict, created: date, counts: _Counts) -> None:
    cutoff = created - timedelta(days=rule.params["days"])
    newer = " or ".join(f'"{_checked(f, columns)}" > ?' for f in rule.fields)
    predicate, params = f'"{_flag(rule)}" and ({newer})', [cutoff] * len(rule.fields)
    counts.add(rule, "*", _run(con, "release/count_by_publisher", params, table=rule.dataset, predicate=predicate),
               detail=f"newer than {cutoff.isoformat()}")
    _run(con, "release/embargo_delete", params, table=rule.dataset, predicate=predicate)


def _drop(con, rule: policies.Rule, columns: dict, counts: _Counts) -> None:
    fields = list(rule.fields)
    if set(fields) & set(policies.location_fields(rule.dataset)):  # derived from the exact place: go with it
        fields += [c for c in (BORDER_COLUMN[rule.dataset], "distance_to_border_km") if c not in fields]
    statuses = []
    for field in fields:
        counts.add(rule, field, _run(con, "release/count_by_publisher", table=rule.dataset,
                                     predicate=f'"{_flag(rule)}" and "{_checked(field, columns)}" is not null'))
        status = policies.status_column(rule.dataset, field)
        if status and status not in statuses:
            statuses.append(status)
            _run(con, "release/drop_status", table=rule.dataset, flag=_flag(rule), status=_checked(status, columns))
    for field in fields:
        con.execute(_render("release/drop_field", table=rule.dataset, flag=_flag(rule), field=field),
                    {"field": field})


def _suppress(con, rule: policies.Rule, columns: dict, counts: _Counts) -> None:
    k, keep_zeros = rule.params["k"], rule.params.get("keep_zeros", False)
    for field in rule.fields:
        status = policies.status_column(rule.dataset, field)
        parts = dict(table=rule.dataset, flag=_flag(rule), field=_checked(field, columns),
                     status=_checked(status, columns))
        predicate = f'"{_flag(rule)}" and "{field}" is not null and "{field}" < ? and not (? and "{field}" = 0)'
        counts.add(rule, field, _run(con, "release/count_by_publisher", [k, keep_zeros], table=rule.dataset,
                                     predicate=predicate), detail="primary", k=k)
        con.execute(_render("release/suppress_primary", **parts), {"field": field, "k": k, "keep_zeros": keep_zeros})


# ---------------------------------------------------------------------------------------------- secondary suppression


def _secondary_suppression(con) -> tuple[list[tuple], int]:
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


# ---------------------------------------------------------------------------------------------- coarsening


def _coarsen_location(con, rule: policies.Rule, counts: _Counts) -> None:
    import shapely

    dataset, frag = rule.dataset, GEOM_SQL[rule.dataset]
    columns = policies.dataset_columns()[dataset]
    parts = dict(table=dataset, flag=_flag(rule), geom=frag["geom"])
    points = con.execute(_render("release/location_points", **parts), {"cell_km": rule.cell_km}).fetchall()
    rows = []
    for src_lat, src_lon, geom in points:
        lat, lon = src_lat, src_lon
        if lat is None or lon is None:
            try:
                point = shapely.from_geojson(geom).representative_point()
                lat, lon = point.y, point.x
            except Exception:  # an unreadable geometry is not published at all: the row gets no location
                lat = lon = None
        centre, polygon = _cell(lat, lon, rule) if lat is not None else (None, None)
        rows.append({"src_lat": src_lat, "src_lon": src_lon, "src_geom": geom,
                     "new_lat": round(centre[0], 5) if centre else None,
                     "new_lon": round(centre[1], 5) if centre else None,
                     "cell_geojson": polygon, "precision": rule.precision, "cell_km": rule.cell_km})
    for field in rule.fields:
        counts.add(rule, field, _run(con, "release/count_by_publisher", [rule.cell_km], table=dataset,
                                     predicate=f'"{_flag(rule)}" and "{_checked(field, columns)}" is not null '
                                               f'and (_cell_km is null or _cell_km < ?)'))
    if not rows:
        return
    frame = pa.Table.from_pylist(rows, schema=pa.schema([
        ("src_lat", pa.float64()), ("src_lon", pa.float64()), ("src_geom", pa.string()), ("new_lat", pa.float64()),
        ("new_lon", pa.float64()), ("cell_geojson", pa.string()), ("precision", pa.string()),
        ("cell_km", pa.float64())]))
    con.register("_location_cells", frame)
    try:
        con.execute(_render("release/location_update", table=dataset, flag=_flag(rule), geom=frag["geom"],
                            geom_set=frag["geom_set"]), {"fields": list(rule.fields)})
    finally:
        con.unregister("_location_cells")


def _cell(lat: float, lon: float, rule: policies.Rule) -> tuple[tuple[float, float], str]:
    """The centre (lat, lon) and the GeoJSON polygon of the H3 cell or grid square that holds a point."""
    import h3

    if "h3_resolution" in rule.params:
        index = h3.latlng_to_cell(lat, lon, rule.params["h3_resolution"])
        return h3.cell_to_latlng(index), _polygon_geojson([(lng, la) for la, lng in h3.cell_to_boundary(index)])
    d = float(rule.params["grid_degrees"])
    south, west = math.floor(lat / d) * d, math.floor(lon / d) * d
    north, east = min(south + d, 90.0), min(west + d, 180.0)
    ring = [(west, south), (east, south), (east, north), (west, north)]
    return ((south + north) / 2, (west + east) / 2), _polygon_geojson(ring)


def _polygon_geojson(ring: list[tuple[float, float]]) -> str:
    """An RFC 7946 polygon (counter-clockwise exterior ring, closed, 5 decimals)."""
    ring = [(round(x, 5), round(y, 5)) for x, y in ring]
    area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]))
    if area < 0:
        ring.reverse()
    ring.append(ring[0])
    return json.dumps({"type": "Polygon", "coordinates": [[list(p) for p in ring]]}, separators=(",", ":"))


def _cell_distances(con, dataset: str) -> None:
    """Nearest border and distance of each published cell (the exact place's values are cleared first)."""
    border = BORDER_COLUMN[dataset]
    _run(con, "release/location_distance_clear", table=dataset, border=border)
    cells = [r[0] for r in _run(con, "release/location_distance_cells", table=dataset)]
    if not cells or not _has_land_borders(con):
        return
    import pandas as pd

    from data_pipeline import geo

    found = geo.nearest_border_for_geometries(con, pd.DataFrame({"id": cells, "geojson": cells}))
    con.register("_cell_distances", found)
    try:
        _run(con, "release/location_distance_update", table=dataset, border=border)
    finally:
        con.unregister("_cell_distances")


def _has_land_borders(con) -> bool:
    tables = {r[0] for r in con.execute(sql("release/work_tables")).fetchall()}
    return "borders" in tables and bool(con.execute(sql("geo/land_borders")).fetchall())


def _ruled_fields(con, policy: policies.Policy) -> None:
    """The fields each rule names (with their status and location companions), for the revisions filter."""
    con.execute(sql("release/ruled_fields_create"))
    for rule in policy.rules:
        names = set(rule.fields)
        if set(rule.fields) & set(policies.location_fields(rule.dataset)):
            names |= {"location_status", "location_precision", "geometry_type", BORDER_COLUMN[rule.dataset],
                      "distance_to_border_km"}
        names |= {f"{n}_status" for n in rule.fields}
        k = rule.params["k"] if rule.action == "suppress_below" else None
        for name in sorted(names):
            con.execute(sql("release/ruled_fields_insert"), {"dataset": rule.dataset, "field": name, "k": k})


# ---------------------------------------------------------------------------------------------- writing


def _write_database(con, path: Path, policy: policies.Policy, created: date, redactions: list[dict],
                    references: list[str]) -> dict:
    """Create the release database from redacted tables only, compute the content id, and close it."""
    con.execute(sql("release/redactions_create"))
    for row in redactions:
        con.execute(sql("release/redactions_insert"), row)
    con.execute(sql("release/attach_public"), {"path": str(path)})
    try:
        for table in (*DATASETS, *references):
            _run(con, "release/public_table", table=_checked(table, (*DATASETS, *REFERENCE_TABLES)))
        con.execute(sql("release/public_sources"))
        con.execute(sql("release/public_revisions"))
        con.execute(sql("release/public_redactions"))
        digests, row_counts = [], {}
        for table in sorted((*DATASETS, *references, "sources", "revisions", "redactions")):
            digest, count = _run(con, "release/table_digest", table=table)[0]
            digests.append(f"{table}:{digest}")
            row_counts[table] = int(count)
        text = policy.plain_text()
        release_id = hashlib.sha256("\n".join([text, *digests]).encode("utf-8")).hexdigest()[:16]
        keys = ["release_id", "created", "policy_name", "policy_text"]
        values = [release_id, created.isoformat(), policy.name, text]
        con.execute(sql("release/release_info"), {"keys": keys, "values": values})
        con.execute(sql("release/checkpoint_public"))
    finally:
        con.execute(sql("release/detach_public"))
    return {"release_id": release_id, "row_counts": row_counts, "created": created.isoformat(),
            "policy_name": policy.name, "database": path}


# ---------------------------------------------------------------------------------------------- the folder


def _check_out(out: Path) -> None:
    if not out.parent.is_dir():
        raise UserError(f"folder for the release does not exist: {out.parent}")
    if out.exists() and not out.is_dir():
        raise UserError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / "release.json").is_file():
        raise UserError(f"{out} is not empty and holds no release.json: refusing to replace it")


def _temp_dir(out: Path) -> Path:
    """A fresh build folder beside out (same file system, so the final rename is atomic); stale ones of dead
    publishes are removed first."""
    prefix = f".{out.name}.publish-"
    for stale in out.parent.glob(prefix + "*"):
        pid = stale.name[len(prefix):].split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    tmp = out.parent / f"{prefix}{os.getpid()}-{os.urandom(4).hex()}"
    (tmp / "extracts").mkdir(parents=True)
    return tmp


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sync_tree(folder: Path) -> None:
    """fsync every file and folder, so that a crash after the rename cannot expose a half-written release."""
    for path in sorted(folder.rglob("*"), reverse=True) + [folder]:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


_RENAME_EXCHANGE = 2


def _swap_in(tmp: Path, out: Path) -> None:
    """Make tmp the release at out in one step. An existing release is exchanged atomically (renameat2) and
    removed afterwards; where the file system cannot exchange, it is moved aside just before the rename."""
    if not out.exists():
        os.rename(tmp, out)
    else:
        if not _exchange(tmp, out):
            aside = tmp.with_name(tmp.name + "-old")
            os.rename(out, aside)
            os.rename(tmp, out)
            tmp = aside
        shutil.rmtree(tmp, ignore_errors=True)
    fd = os.open(out.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), f"cannot swap {a} into {b}")
