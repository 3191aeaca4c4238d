-- The current table holds the newest figure per key: drop the rows this source supersedes.
delete from crossings c
using _incoming inc
where c.location_id = inc.location_id
  and c.period_start = inc.period_start
  and c.measure = inc.measure
  and c.direction = inc.direction
  and c.period_granularity = inc.period_granularity
  and c.reporter_iso3 is not distinct from inc.reporter_iso3
  and c.reporter_org is not distinct from inc.reporter_org
  and c.place_kind is not distinct from inc.place_kind
  and c.dimensions is not distinct from inc.dimensions
