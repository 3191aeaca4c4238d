-- A scratch copy of one canonical table (in the publish's private scratch database), with helper columns (names
-- start with '_', never published):
-- _rid row id (numbered by number_rows.sql), _publisher for the counts, _touched fields a rule changed, _cell_km
-- size of a coarsened cell.
-- time_precision starts at day (crossings, notices and projects then set the precision they were published at);
-- time_coarsened_to is the unit a coarsen_time rule cut a date of the row to (NULL: none did).
create table "{table}" as
with source as (
    select * from work.main."{table}"
),
sources as (
    select source_id, coalesce(publisher, 'unnamed publisher') as publisher
    from work.main.sources
),
joined as (
    select source.*, sources.publisher as _publisher
    from source
    left join sources using (source_id)
)
select
    *,
    cast('day' as varchar) as time_precision,
    cast(null as varchar) as time_coarsened_to,
    cast(null as varchar) as location_cell_geojson,
    cast(null as bigint) as _rid,
    cast([] as varchar[]) as _touched,
    cast(null as double) as _cell_km
from joined
