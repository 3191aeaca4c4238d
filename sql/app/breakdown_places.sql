-- Places whose figures of the chosen measures are broken down by the chosen dimension ($dimension), with the
-- sidebar's filters, largest first: the places the Breakdown page offers.
with source as (
    select location_id, location_name, place_kind, value
    from macros.crossings_near($border_a, $border_b, $countries, $dim_names, $dim_codes)
    where list_contains($measures, measure)
      and dimensions[$dimension] is not null
      and period_start between $date_from and $date_to
)
select location_id, coalesce(min(location_name), location_id) as location_name,
       coalesce(min(place_kind), 'crossing_point') as place_kind, sum(value) as total
from source
group by location_id
order by total desc nulls last, location_id
