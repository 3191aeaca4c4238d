-- The key of one crossing cell, for the one line that names a cell the suppression audit cannot protect.
with source as (
    select _rid, location_id, reporter_iso3, reporter_org, direction, period_start, period_granularity, measure
    from crossings
)
select location_id, coalesce(reporter_iso3, reporter_org) as reporter, direction, period_start,
       period_granularity, measure
from source
where _rid = $rid
