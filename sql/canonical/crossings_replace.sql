-- The current table holds the newest figure per key: drop the facts this source supersedes (same reporter, place,
-- direction, measure, breakdown and period; a place's name or coordinates are not part of the key).
delete from crossing_facts f
using (
    select k.series_id, inc.period_start, inc.period_granularity
    from _incoming inc
    join crossing_series_keys k
      on k.location_id = inc.location_id
     and k.measure = inc.measure
     and k.direction = inc.direction
     and k.reporter_iso3 is not distinct from inc.reporter_iso3
     and k.reporter_org is not distinct from inc.reporter_org
     and k.place_kind is not distinct from inc.place_kind
     and k.dimensions is not distinct from inc.dimensions
) superseded
where f.series_id = superseded.series_id
  and f.period_start = superseded.period_start
  and f.period_granularity = superseded.period_granularity
