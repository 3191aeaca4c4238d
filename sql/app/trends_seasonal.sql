-- Same months of earlier years: the chosen measures per calendar month and year (all years in the release that
-- the app draws as time, macros.charted;
-- border, countries and crossing point filters apply), with the count of figures, of published figures and of
-- withheld figures. A sum over no published figure is NULL (all withheld or missing), never 0.
with source as not materialized (
    select location_id, country_iso3, neighbor_iso3, direction, period_start, measure, value, value_status
    from macros.crossings_near($border_a, $border_b, $countries)
    where period_granularity in ('day', 'month') and macros.charted(period_start)
      and list_contains($measures, measure)
      and ($location is null or location_id = $location)
),
deduplicated as (
    select * from macros.inbound_first('source')
)
select year(period_start) as year, month(period_start) as month, sum(value) as value, count(*) as figures,
       count(value) as published,
       count(*) filter (where value_status in ('withheld_by_publisher', 'suppressed', 'dropped')) as withheld
from deduplicated
group by all
order by year, month
