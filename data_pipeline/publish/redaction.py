"""Apply a redaction policy to in-memory scratch copies of the working tables, counting what each rule withheld.

Only counts ever leave this module (redactions rows); the values themselves stay in the scratch tables, which
the release writer then copies from after every rule has run.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb

from data_pipeline.publish import policy as policies
from data_pipeline.publish.coarsening import HOST_CHECKED, cell_distances, coarsen_location
from data_pipeline.db import sql
from data_pipeline.errors import UserError
from data_pipeline.publish.release_sql import BORDER_COLUMN, DATASETS, checked, flag, render, run
from data_pipeline import kept_memory
from data_pipeline.publish.suppression import audit_figures, secondary_suppression, suppress_primary

# Time precisions from finest to coarsest, as sql/release/coarsen_time.sql orders them (%s: the precision).
TIME_ORDER = "list_position(['day', 'week', 'month', 'year'], %s)"
PUBLISHED_PRECISION = {"exercise_notices": "notices_time_precision",
                       "infrastructure_projects": "projects_time_precision"}


def apply_policy(con, policy: policies.Policy, created: date, previous=None) -> tuple[list[dict], dict]:
    """Load scratch copies and run the rules on them; returns the redaction counts (never values) and notes
    for the operator (notes["suppression_audit"]: the audit's figures).

    Conditions are judged on the working values before any rule runs. Then: embargo, drop, suppress_below
    (primary, cells the previous release suppressed, then secondary for crossings until the audit passes), and
    round_to / coarsen_time / coarsen_location in file order. previous: the previous release's folder or None.
    """
    columns = policies.dataset_columns()
    counts = Counts()
    notes: dict = {}
    for dataset in DATASETS:
        run(con, "release/load_dataset", table=checked(dataset, DATASETS))
        run(con, "release/number_rows", table=checked(dataset, DATASETS))
        if dataset == "crossings":
            con.execute(sql("release/crossings_time_precision"))
            con.execute(sql("release/crossings_true_value"))
        else:   # the coarsest precision its dates were published at (a date to the month: month)
            con.execute(sql(f"release/{PUBLISHED_PRECISION[dataset]}"))
        for rule in policy.rules_for(dataset):
            run(con, "release/flag_add", table=dataset, flag=flag(rule))
            if rule.when:
                for name in rule.when.columns:  # defence in depth: the parser already checked them
                    checked(name, columns[dataset])
            run(con, "release/flag_set", list(rule.when.params) if rule.when else [], table=dataset,
                flag=flag(rule), condition=rule.when.sql if rule.when else "true")
    for rule in policy.rules:
        if rule.action == "embargo_days":
            _embargo(con, rule, columns[rule.dataset], created, counts)
    for rule in policy.rules:
        if rule.action == "drop":
            _drop(con, rule, columns[rule.dataset], counts)
    for rule in policy.rules:
        if rule.action == "suppress_below":
            suppress_primary(con, rule, columns[rule.dataset], counts)
    protecting = [r for r in policy.rules_for("crossings")
                  if "value" in r.fields and r.action in ("suppress_below", "drop")]
    if protecting:
        rule = next((r for r in protecting if r.action == "suppress_below"), protecting[0])
        # a drop of value alone: no k, the default protection level, nothing unprotectable accepted
        options = rule.options if isinstance(rule.options, policies.SuppressBelow) else None
        k = options.k if options else None
        _previous_cells(con, previous)
        con.execute(sql("release/carried_cells"))
        counts.add(rule, "value", con.execute(sql("release/carried_counts")).fetchall(), detail="carried", k=k)
        con.execute(sql("release/suppress_carried"))
        p = float(options.p if options else policies.P_DEFAULT)
        with kept_memory.kept():   # hundreds of 10M-cell arrays made and dropped
            secondary, alone, found = secondary_suppression(con, k, p)
        counts.add(rule, "value", secondary, detail="secondary", k=k)
        notes["crossings_cells_alone_in_a_margin"] = alone
        notes["suppression_audit"] = audit_figures(con, found, p, previous,
                                                   bool(options and options.accept_unprotectable))
    for rule in policy.rules:
        if rule.action in ("round_to", "coarsen_time"):
            params: dict[str, object]
            if isinstance(rule.options, policies.RoundTo):
                statement, params = "release/round_field", {"base": rule.options.base}
            else:
                statement, params = "release/coarsen_time", {"unit": rule.precision}
            for field in rule.fields:
                parts = dict(table=rule.dataset, flag=flag(rule), field=checked(field, columns[rule.dataset]))
                hit, bound = f'"{flag(rule)}" and "{field}" is not null', []
                if rule.action == "coarsen_time":   # a date already as coarse as the unit is left as published
                    precision = checked(f"{field}_precision", columns[rule.dataset])
                    published = TIME_ORDER % ('coalesce("' + precision + '", ' + "'day')")
                    hit += f" and {TIME_ORDER % '?'} > {published}"
                    bound = [rule.precision]
                counts.add(rule, field, run(con, "release/count_by_publisher", bound, table=rule.dataset,
                                            predicate=hit))
                if rule.action == "round_to":
                    _round(con, policy, rule, field, parts, params)
                else:
                    con.execute(render(statement, **parts), {"field": field, **params})
        elif rule.action == "coarsen_location":
            coarsen_location(con, rule, counts)
    for dataset in DATASETS:
        if policy.rules_for(dataset, "coarsen_location"):
            cell_distances(con, dataset)
        for field, publisher, n in run(con, "release/withheld_counts", table=dataset):
            counts.rows.append({"rule_id": None, "action": "withheld_by_publisher", "dataset": dataset,
                                "field": field, "publisher": publisher, "reason": "withheld by publisher",
                                "rows_affected": int(n), "k": None, "precision": None, "precision_km": None,
                                "detail": None})
    _ruled_fields(con, policy)
    return counts.rows, notes


class Counts:
    """The redactions rows: per rule, field and publisher, how many values were withheld (never the values)."""

    def __init__(self):
        self.rows: list[dict] = []

    def add(self, rule: policies.Rule, field: str, per_publisher, detail=None, k=None) -> None:
        for publisher, n in per_publisher:
            self.rows.append({"rule_id": rule.id, "action": rule.action, "dataset": rule.dataset, "field": field,
                              "publisher": publisher, "reason": rule.reason, "rows_affected": int(n), "k": k,
                              "precision": rule.precision, "precision_km": rule.cell_km, "detail": detail})


def _previous_cells(con, previous) -> None:
    """_previous_cells: the crossing cells of the previous release (empty without one)."""
    if previous is None:
        con.execute(sql("release/previous_cells_none"))
        return
    try:
        con.execute(sql("release/attach_previous"), {"path": str(previous / "borderlens.duckdb")})
    except duckdb.Error as exc:
        raise UserError(f"cannot open the previous release {previous}: {str(exc).splitlines()[0]}") from None
    try:
        [(has_dimensions,)] = con.execute(sql("release/previous_has_dimensions")).fetchall()
        con.execute(sql("release/previous_cells" if has_dimensions else "release/previous_cells_flat"))
    except duckdb.Error as exc:
        raise UserError(f"{previous}: not a borderlens release ({str(exc).splitlines()[0]})") from None
    finally:
        con.execute(sql("release/detach_previous"))


def _embargo(con, rule: policies.Rule, columns: dict, created: date, counts: Counts) -> None:
    assert isinstance(rule.options, policies.EmbargoDays)
    cutoff = created - timedelta(days=rule.options.days)
    newer = " or ".join(f"{_latest_day(checked(f, columns), columns)} > ?" for f in rule.fields)
    predicate, params = f'"{flag(rule)}" and ({newer})', [cutoff] * len(rule.fields)
    counts.add(rule, "*", run(con, "release/count_by_publisher", params, table=rule.dataset, predicate=predicate),
               detail=f"newer than {cutoff.isoformat()}")
    run(con, "release/embargo_delete", params, table=rule.dataset, predicate=predicate)


def _latest_day(field: str, columns: dict) -> str:
    """The latest day a date can stand for: a date published to the month ('Jun 2025', stored as 1 June) may be any
    day of June, so an embargo judges it by 30 June, never letting it out early. Identifiers only (checked)."""
    precision = f"{field}_precision"
    if precision not in columns:
        return f'"{field}"'
    return (f'(case "{checked(precision, columns)}" when \'year\' then "{field}" + interval 1 year - interval 1 day '
            f'when \'month\' then "{field}" + interval 1 month - interval 1 day else "{field}" end)')


def _round(con, policy: policies.Policy, rule: policies.Rule, field: str, parts: dict, params: dict) -> None:
    """round_to; refused in one line (nothing is published) where a rounded value would not be a finite number
    that the column can hold: a value out of range must never be published as if it had been reported."""
    def not_finite() -> int:
        predicate = f'"{flag(rule)}" and "{field}" is not null and not isfinite("{field}")'
        return sum(n for _, n in run(con, "release/count_by_publisher", table=rule.dataset, predicate=predicate))

    problem = f"{policy.path}: rule #{rule.number} '{rule.id}': rounding {field} to the nearest {params['base']:g}"
    before = not_finite()
    try:
        con.execute(render("release/round_field", **parts), {"field": field, **params})
    except (duckdb.ConversionException, duckdb.OutOfRangeException):
        raise UserError(f"{problem} gives a value out of range for the column") from None
    if not_finite() > before:
        raise UserError(f"{problem} gives values that are not finite numbers")


def _drop(con, rule: policies.Rule, columns: dict, counts: Counts) -> None:
    fields = list(rule.fields)
    if set(fields) & set(policies.location_fields(rule.dataset)):  # derived from the exact place: go with it
        fields += [c for c in (BORDER_COLUMN[rule.dataset], "distance_to_border_km") if c not in fields]
        if rule.dataset in HOST_CHECKED:
            fields += [c for c in ("location_outside_country", "outside_country_km") if c not in fields]
    statuses = []
    for field in fields:
        counts.add(rule, field, run(con, "release/count_by_publisher", table=rule.dataset,
                                    predicate=f'"{flag(rule)}" and "{checked(field, columns)}" is not null'))
        status = policies.status_column(rule.dataset, field)
        if status and status not in statuses:
            statuses.append(status)
            run(con, "release/drop_status", table=rule.dataset, flag=flag(rule), status=checked(status, columns))
    for field in fields:
        con.execute(render("release/drop_field", table=rule.dataset, flag=flag(rule), field=field),
                    {"field": field})


def _ruled_fields(con, policy: policies.Policy) -> None:
    """The fields each rule names (with their status and location companions), for the revisions filter."""
    con.execute(sql("release/ruled_fields_create"))
    for rule in policy.rules:
        names = set(rule.fields)
        if set(rule.fields) & set(policies.location_fields(rule.dataset)):
            names |= {"location_status", "location_precision", "geometry_type", BORDER_COLUMN[rule.dataset],
                      "distance_to_border_km"}
            names |= {"location_outside_country", "outside_country_km"} if rule.dataset in HOST_CHECKED else set()
        names |= {f"{n}_status" for n in rule.fields}
        k = rule.options.k if isinstance(rule.options, policies.SuppressBelow) else None
        for name in sorted(names):
            con.execute(sql("release/ruled_fields_insert"), {"dataset": rule.dataset, "field": name, "k": k})
