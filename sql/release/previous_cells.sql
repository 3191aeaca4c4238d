-- The crossing cells of the previous release, by cell key (its place kind and dimensions too), with what it
-- published: a cell it suppressed stays suppressed; a cell it published is known to readers, whatever this release
-- does with it.
create table _previous_cells as
with source as (
    select reporter_iso3, reporter_org, location_id, place_kind, direction, period_start, period_granularity,
           measure, dimensions, value, value_status
    from prev.main.crossings
)
select reporter_iso3, reporter_org, location_id, place_kind, direction, period_start, period_granularity, measure,
       dimensions,
       any_value(value) as previous_value, any_value(value_status) as previous_status
from source
group by all
