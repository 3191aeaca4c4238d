-- The crossing cells of a previous release made before the crossings cube (no dimensions column, schema < 7):
-- each cell is a crossing point's and has no dimensions, as a migrated working database reads them (migration 007
-- added place_kind, default crossing_point, and dimensions, default {}).
create table _previous_cells as
with source as (
    select reporter_iso3, reporter_org, location_id, direction, period_start, period_granularity, measure,
           value, value_status
    from prev.main.crossings
)
select reporter_iso3, reporter_org, location_id, 'crossing_point' as place_kind, direction, period_start,
       period_granularity, measure, map()::map(varchar, varchar) as dimensions,
       any_value(value) as previous_value, any_value(value_status) as previous_status
from source
group by all
