-- Write nearest border and distance (computed once per distinct location, geo/places.py, and bound here as one list
-- per column) to the places of the crossings cube that lack them or hold other values.
update crossing_places
set border_id = results.border_id,
    distance_to_border_km = results.distance_km
from (
    with source as (
        select
            unnest($location_id::varchar[]) as location_id,
            unnest($lat::double[]) as lat,
            unnest($lon::double[]) as lon,
            unnest($country_iso3::varchar[]) as country_iso3,
            unnest($neighbor_iso3::varchar[]) as neighbor_iso3,
            unnest($border_id::varchar[]) as border_id,
            unnest($distance_km::double[]) as distance_km
    ),
    renamed as (
        select
            cast(location_id as varchar) as location_id,
            cast(lat as double) as lat,
            cast(lon as double) as lon,
            cast(country_iso3 as varchar) as country_iso3,
            cast(neighbor_iso3 as varchar) as neighbor_iso3,
            cast(border_id as varchar) as border_id,
            cast(distance_km as double) as distance_km
        from source
    )
    select * from renamed
) as results
where crossing_places.location_id = results.location_id
  and crossing_places.lat = results.lat
  and crossing_places.lon = results.lon
  and crossing_places.country_iso3 = results.country_iso3
  and crossing_places.neighbor_iso3 is not distinct from results.neighbor_iso3
  -- only places whose values change: a later ingest of a small file does not rewrite every place
  and (crossing_places.border_id is distinct from results.border_id
       or crossing_places.distance_to_border_km is distinct from results.distance_km)
