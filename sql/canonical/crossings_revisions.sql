-- Values that a newer source changed for the same key: kept, old beside new, before the current row is replaced.
insert into revisions
with incoming as (
    select * from _incoming
),
current as (
    select c.*, s.version
    from crossings c
    join sources s using (source_id)
),
matched as (
    select
        cur.location_id, cur.reporter_iso3, cur.reporter_org, cur.direction, cur.period_start,
        cur.period_granularity, cur.measure, cur.place_kind, cur.dimensions,
        cur.value as old_value, inc.value as new_value,
        cur.value_status as old_status, inc.value_status as new_status,
        cur.source_id as old_source_id, cur.version as old_version
    from incoming inc
    join current cur
      on cur.location_id = inc.location_id
     and cur.period_start = inc.period_start
     and cur.measure = inc.measure
     and cur.direction = inc.direction
     and cur.period_granularity = inc.period_granularity
     and cur.reporter_iso3 is not distinct from inc.reporter_iso3
     and cur.reporter_org is not distinct from inc.reporter_org
     and cur.place_kind is not distinct from inc.place_kind
     and cur.dimensions is not distinct from inc.dimensions
)
select
    'crossings' as dataset,
    -- a place kind other than crossing_point and a breakdown are part of the key (a crossing point's key as before)
    concat_ws('|', coalesce(reporter_iso3, reporter_org), nullif(place_kind, 'crossing_point'), location_id,
              direction, period_start::varchar, period_granularity, measure,
              nullif(dimensions::varchar, '{}')) as record_key,
    'value' as field,
    old_value::varchar,
    new_value::varchar,
    old_status,
    new_status,
    old_source_id,
    $source_id as new_source_id,
    old_version,
    $version as new_version,
    now()::timestamp as detected_at
from matched
where old_value is distinct from new_value or old_status is distinct from new_status
