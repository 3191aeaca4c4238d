-- Distinct locations a coarsen_location rule matches and that are not already in a cell at least as coarse.
-- {geom} is a fixed fragment from data_pipeline.publish.release: the geometry column, or NULL for crossings.
with source as (
    select t.lat, t.lon, {geom} as geom
    from "{table}" as t
    where t."{flag}"
      and (t._cell_km is null or t._cell_km < $cell_km)
),
located as (
    select distinct lat, lon, geom
    from source
    where (lat is not null and lon is not null) or geom is not null
)
select lat, lon, geom
from located
order by lat, lon, geom
