-- Crossing points with figures for the chosen measures (border and countries filters apply), largest first.
with source as (
    select location_id, location_name, country_iso3, neighbor_iso3, value
    from macros.crossings_near($border_a, $border_b, $countries, $dim_names, $dim_codes)
    where list_contains($measures, measure)
)
select location_id, any_value(location_name) as location_name, any_value(country_iso3) as country_iso3,
       sum(value) as total
from source group by location_id order by total desc nulls last, location_id
