-- Mirror statistics for one crossing point and measure: both reporters' figures month by month and the gap;
-- like with like: the same period (and granularity) and the same code in every dimension.
with synthetic_sources as (
    select source_id from sources where synthetic
),
source as (
    select location_id, country_iso3, neighbor_iso3, reporter_iso3, reporter_org, direction, period_start,
           period_granularity, measure, dimensions, value, value_status,
           coalesce(source_id in (select source_id from synthetic_sources), false) as synthetic
    from macros.crossings_near(null, null, null, $dim_names, $dim_codes)
    where location_id = $location and measure = $measure
      and period_start between $date_from and $date_to
),
pairs as (
    select i.period_start as period, i.neighbor_iso3 as from_iso3, i.country_iso3 as into_iso3,
           coalesce(i.reporter_iso3, i.reporter_org) as inbound_reporter,
           coalesce(o.reporter_iso3, o.reporter_org) as outbound_reporter,
           i.value as inbound_value, i.value_status as inbound_status,
           o.value as outbound_value, o.value_status as outbound_status,
           i.synthetic as inbound_synthetic, o.synthetic as outbound_synthetic
    from source i
    join source o on o.period_start = i.period_start and o.period_granularity = i.period_granularity
        and o.dimensions = i.dimensions and o.direction = 'outbound'
        and o.country_iso3 = i.neighbor_iso3 and o.neighbor_iso3 = i.country_iso3
    where i.direction = 'inbound'
      and coalesce(o.reporter_iso3, o.reporter_org, '') <> coalesce(i.reporter_iso3, i.reporter_org, '')
)
select period, from_iso3, into_iso3, inbound_reporter, outbound_reporter, inbound_value, inbound_status,
       outbound_value, outbound_status, inbound_synthetic, outbound_synthetic, inbound_value - outbound_value as gap,
       (inbound_value - outbound_value) / nullif((inbound_value + outbound_value) / 2, 0) as gap_share
from pairs order by period
