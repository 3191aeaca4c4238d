-- Distinct points of exercise_notices not yet checked against the country they are in: the host, else their own
-- (data_pipeline/geo/host_country.py).
with source as (
    select lat, lon, coalesce(host_iso3, notifying_iso3) as iso3, location_outside_country from exercise_notices
),
unchecked as (
    select distinct lat, lon, iso3
    from source
    where lat is not null and lon is not null and iso3 is not null and location_outside_country is null
)
select lat, lon, iso3
from unchecked
order by lat, lon, iso3
