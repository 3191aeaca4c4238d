-- The margins over each dimension of the crossing cells (docs/policy.md, secondary suppression): for a dimension
-- such as nationality, the cells that share the whole key and every other dimension's code add up to a total a
-- reader might know (a route's detections by border type in a month, over nationalities). One row per cell and
-- dimension: the dimension, the group in that dimension's margin, and whether the cell is in the previous release
-- too (in_previous: its groups over the previous release's cells are formed apart, as the prev_* margins of
-- crossings_cells). A publisher's own total over a dimension ('_total') is no part of that dimension's margin.
with source as (
    select c._rid, c.reporter_iso3, c.reporter_org, c.location_id, c.place_kind, c.direction, c.period_start,
           c.period_granularity, c.measure, c.dimensions, p.location_id is not null as in_previous,
           unnest(map_keys(c.dimensions)) as summed_dimension
    from crossings c
    left join _previous_cells p
      on p.reporter_iso3 is not distinct from c.reporter_iso3
     and p.reporter_org is not distinct from c.reporter_org
     and p.location_id = c.location_id and p.place_kind = c.place_kind and p.direction = c.direction
     and p.period_start = c.period_start
     and p.period_granularity = c.period_granularity and p.measure = c.measure and p.dimensions = c.dimensions
    where cardinality(c.dimensions) > 0
),
parts as (
    select *, cast(list_filter(map_entries(dimensions), lambda entry: entry.key <> summed_dimension) as varchar)
                  as other_codes
    from source
    where dimensions[summed_dimension] <> '_total'
),
grouped as (
    select _rid, summed_dimension, in_previous,
           dense_rank() over (partition by summed_dimension
                              order by reporter_iso3, reporter_org, location_id, place_kind, direction, period_start,
                                       period_granularity, measure, other_codes) - 1 as margin_group
    from parts
)
-- previous_group: the same groups over the cells the previous release held (their ids, not dense; -1: not held)
select _rid, summed_dimension, margin_group, case when in_previous then margin_group else -1 end as previous_group
from grouped
order by summed_dimension, _rid
