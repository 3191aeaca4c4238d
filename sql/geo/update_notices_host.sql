-- Write whether each point lies outside the country it is in, and how far, to the exercise_notices rows at it.
update exercise_notices
set location_outside_country = results.outside,
    outside_country_km = results.km
from (
    with source as (
        select
            unnest($lat::double[]) as lat,
            unnest($lon::double[]) as lon,
            unnest($iso3::varchar[]) as iso3,
            unnest($outside::boolean[]) as outside,
            unnest($km::double[]) as km
    ),
    renamed as (
        select
            cast(lat as double) as lat,
            cast(lon as double) as lon,
            cast(iso3 as varchar) as iso3,
            cast(outside as boolean) as outside,
            cast(km as double) as km
        from source
    )
    select * from renamed
) as results
where exercise_notices.lat = results.lat
  and exercise_notices.lon = results.lon
  and coalesce(exercise_notices.host_iso3, exercise_notices.notifying_iso3) = results.iso3
  and exercise_notices.location_outside_country is null
