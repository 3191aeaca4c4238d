-- Crossing points with figures for the chosen measures (border and countries filters apply), largest first.
-- Without a dimension filtered, the sums are the release's per series (crossing_series.counted_value: its figures
-- as crossings_near counts them, made at publish) plus the few figures dated outside the charted years; with one,
-- the figures themselves: the same totals as summing every figure each time.
with chosen as (
    select location_id, location_name, country_iso3, direction, counted_value as value
    from crossing_series
    where $dim_names is null
      and macros.on_border(country_iso3, neighbor_iso3, $border_a, $border_b)
      and ($countries is null or list_contains($countries, country_iso3) or list_contains($countries, neighbor_iso3))
      and list_contains($measures, measure)
    union all
    select location_id, location_name, country_iso3, direction, value
    from macros.crossings_near($border_a, $border_b, $countries, $dim_names, $dim_codes)
    where $dim_names is null and list_contains($measures, measure)
      and (period_start < macros.first_charted_day() or period_start > macros.last_charted_day() or period_start is null)
    union all
    select location_id, location_name, country_iso3, direction, value
    from macros.crossings_near($border_a, $border_b, $countries, $dim_names, $dim_codes)
    where $dim_names is not null and list_contains($measures, measure)
)
select location_id,
       -- a point both sides report is named by its inbound side, as on the Map and the Ranking
       macros.inbound_side(location_name, direction, country_iso3) as location_name,
       macros.inbound_side(country_iso3, direction, country_iso3) as country_iso3, sum(value) as total
from chosen group by location_id order by total desc nulls last, location_id
