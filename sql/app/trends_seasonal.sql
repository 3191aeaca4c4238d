-- Same months of earlier years: the chosen measures per calendar month and year (all years in the release,
-- border, countries and crossing point filters apply), with the share of figures withheld.
with source as not materialized (
    select location_id, country_iso3, neighbor_iso3, direction, period_start, measure, value, value_status
    from crossings
    where period_granularity in ('day', 'month')
      and list_contains($measures, measure)
      and ($location is null or location_id = $location)
      and ($border_a is null
           or (country_iso3 = $border_a and neighbor_iso3 = $border_b)
           or (country_iso3 = $border_b and neighbor_iso3 = $border_a))
      and ($countries is null or list_contains($countries, country_iso3) or list_contains($countries, neighbor_iso3))
),
outbound as (
    select * from source where direction = 'outbound'
),
outbound_keys as (
    select distinct location_id, period_start, measure, country_iso3, neighbor_iso3 from outbound
),
mirrored as (
    -- outbound figures that the other side also counts as inbound (same place, month, measure and flow):
    -- a semi join from the (few) outbound keys, so that millions of inbound-only rows cost one scan
    select o.* from outbound_keys o
    semi join source i on i.direction = 'inbound' and i.location_id = o.location_id and i.period_start = o.period_start
        and i.measure = o.measure and i.country_iso3 = o.neighbor_iso3 and i.neighbor_iso3 = o.country_iso3
),
deduplicated as (
    select * from source where direction <> 'outbound'
    union all
    select o.* from outbound o
    anti join mirrored m on m.location_id = o.location_id and m.period_start = o.period_start and m.measure = o.measure
        and m.country_iso3 = o.country_iso3 and m.neighbor_iso3 = o.neighbor_iso3
)
select year(period_start) as year, month(period_start) as month, sum(value) as value, count(*) as figures,
       count(*) filter (where value_status in ('withheld_by_publisher', 'suppressed', 'dropped')) as withheld
from deduplicated
group by all
order by year, month
