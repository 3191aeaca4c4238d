-- Distinct notice areas (GeoJSON when given, else the point) that need a nearest border.
with source as (
    select area_geojson, lat, lon from exercise_notices
),
located as (
    select distinct area_geojson, lat, lon
    from source
    where area_geojson is not null or (lat is not null and lon is not null)
)
select area_geojson, lat, lon
from located
order by area_geojson, lat, lon
