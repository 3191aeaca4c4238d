-- Crossing points with figures for the chosen measures (border and countries filters apply), largest first.
with source as (
    select location_id, location_name, country_iso3, neighbor_iso3, value
    from crossings
    where list_contains($measures, measure)
      and ($border_a is null
           or (country_iso3 = $border_a and neighbor_iso3 = $border_b)
           or (country_iso3 = $border_b and neighbor_iso3 = $border_a))
      and ($countries is null or list_contains($countries, country_iso3) or list_contains($countries, neighbor_iso3))
)
select location_id, any_value(location_name) as location_name, any_value(country_iso3) as country_iso3,
       sum(value) as total
from source group by location_id order by total desc nulls last, location_id
