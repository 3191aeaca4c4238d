-- Distinct located crossing points with the country pair whose border they should lie on.
with source as (
    select location_id, lat, lon, country_iso3, neighbor_iso3 from crossing_places
),
located as (
    select distinct location_id, lat, lon, country_iso3, neighbor_iso3
    from source
    where lat is not null and lon is not null
)
select location_id, lat, lon, country_iso3, neighbor_iso3
from located
order by location_id, lat, lon, country_iso3, neighbor_iso3
