-- Crossing cells the previous release suppressed that this one would publish, with their publisher.
create or replace table _carried_cells as
with source as (
    select c._rid, c._publisher, c.value, c.value_status, p.previous_status
    from crossings c
    join _previous_cells p
      on p.reporter_iso3 is not distinct from c.reporter_iso3
     and p.reporter_org is not distinct from c.reporter_org
     and p.location_id = c.location_id and p.place_kind = c.place_kind and p.direction = c.direction
     and p.period_start = c.period_start
     and p.period_granularity = c.period_granularity and p.measure = c.measure and p.dimensions = c.dimensions
)
select _rid, _publisher
from source
where previous_status = 'suppressed' and value_status in ('reported', 'estimated') and value is not null
