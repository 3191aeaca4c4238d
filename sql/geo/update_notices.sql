-- Write nearest border and distance back to every notice whose area or point was measured.
update exercise_notices
set nearest_border_id = results.border_id,
    distance_to_border_km = results.distance_km
from (
    with source as (
        select
            unnest($area_geojson::varchar[]) as area_geojson,
            unnest($lat::double[]) as lat,
            unnest($lon::double[]) as lon,
            unnest($border_id::varchar[]) as border_id,
            unnest($distance_km::double[]) as distance_km
    ),
    renamed as (
        select
            cast(area_geojson as varchar) as area_geojson,
            cast(lat as double) as lat,
            cast(lon as double) as lon,
            cast(border_id as varchar) as border_id,
            cast(distance_km as double) as distance_km
        from source
    )
    select * from renamed
) as results
where exercise_notices.area_geojson is not distinct from results.area_geojson
  and exercise_notices.lat is not distinct from results.lat
  and exercise_notices.lon is not distinct from results.lon
  -- only rows whose values change: a later ingest of a small file does not rewrite every row
  and (exercise_notices.nearest_border_id is distinct from results.border_id
       or exercise_notices.distance_to_border_km is distinct from results.distance_km)
