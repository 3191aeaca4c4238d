-- Map: one row per crossing point with the sum of the chosen measures in the period. Where two reporters
-- count the same flow (one side's outbound figure, the other side's inbound figure) only the inbound counts.
-- Withheld figures are counted, not summed: the map shows their share. Points without coordinates are
-- returned too, so the page can say how many it cannot draw. At most $max_points points, the largest first.
-- place_kind says what a place is (a crossing point, or a route, region or border the publisher counts as a
-- whole): the page draws the latter as labelled areas, not as ports.
with source as not materialized (
    select location_id, location_name, country_iso3, neighbor_iso3, direction, period_start, measure,
           value, value_status, lat, lon, location_precision, location_cell_geojson,
           coalesce(place_kind, 'crossing_point') as place_kind
    from macros.crossings_near($border_a, $border_b, $countries, $dim_names, $dim_codes)
    where period_start between $date_from and $date_to
      and period_granularity in ('day', 'month')
      and list_contains($measures, measure)
),
deduplicated as (
    select * from macros.inbound_first('source')
),
per_location as (
    select location_id,
           -- a point both sides report takes its name and countries from the inbound side (then the first
           -- reporter by code), so the same release always labels it the same way
           macros.inbound_side(location_name, direction, country_iso3) as location_name,
           macros.inbound_side(country_iso3, direction, country_iso3) as country_iso3,
           macros.inbound_side(neighbor_iso3, direction, country_iso3) as neighbor_iso3,
           max(place_kind) as place_kind,
           avg(lat) as lat, avg(lon) as lon,
           max(location_precision) as location_precision,
           max(location_cell_geojson) as location_cell_geojson,
           sum(value) as total,
           count(*) as figures,
           count(*) filter (where value_status in ('withheld_by_publisher', 'suppressed', 'dropped')) as withheld,
           min(period_start) as first_period, max(period_start) as last_period
    from deduplicated
    group by location_id
)
select location_id, location_name, place_kind, country_iso3, neighbor_iso3, round(lat, 5) as lat,
       round(lon, 5) as lon,
       location_precision, location_cell_geojson, total, figures, withheld, first_period, last_period,
       count(*) over () as locations_total
from per_location
order by total desc nulls last, location_id
limit $max_points
