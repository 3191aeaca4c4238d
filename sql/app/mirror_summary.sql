-- Mirror statistics: where two reporters count the same flow at the same crossing point, month and measure
-- (one side's inbound figure for entries from B into A, the other side's outbound figure for exits from B
-- to A), the two totals per crossing point and measure, the months compared and the largest monthly gap.
-- Only the chosen measures ($measures); each side says whether its figures are synthetic (demo data). Like with
-- like: the two figures share the place, period (and its granularity), measure and every dimension's code.
with synthetic_sources as (
    select source_id from sources where synthetic
),
source as not materialized (
    select location_id, location_name, country_iso3, neighbor_iso3, reporter_iso3, reporter_org, direction,
           period_start, period_granularity, measure, dimensions, value, value_status,
           coalesce(source_id in (select source_id from synthetic_sources), false) as synthetic
    from macros.crossings_near($border_a, $border_b, $countries, $dim_names, $dim_codes)
    where period_start between $date_from and $date_to
      and list_contains($measures, measure)
),
outbound as (
    select * from source where direction = 'outbound'
),
pairs as (
    select i.location_id, coalesce(i.location_name, o.location_name) as location_name, i.measure,
           i.period_start, i.neighbor_iso3 as from_iso3, i.country_iso3 as into_iso3,
           coalesce(i.reporter_iso3, i.reporter_org) as inbound_reporter,
           coalesce(o.reporter_iso3, o.reporter_org) as outbound_reporter,
           i.value as inbound_value, o.value as outbound_value,
           i.synthetic as inbound_synthetic, o.synthetic as outbound_synthetic,
           i.value - o.value as gap
    from outbound o
    join source i on o.location_id = i.location_id and o.period_start = i.period_start
        and o.period_granularity = i.period_granularity and o.measure = i.measure and o.dimensions = i.dimensions
        and o.country_iso3 = i.neighbor_iso3 and o.neighbor_iso3 = i.country_iso3
    where i.direction = 'inbound'
      and (select count(*) from outbound) > 0   -- no outbound figure: nothing to pair, skip the join
      and coalesce(o.reporter_iso3, o.reporter_org, '') <> coalesce(i.reporter_iso3, i.reporter_org, '')
),
ranked as (
    select *, row_number() over (partition by location_id, measure, from_iso3, into_iso3
                                 order by abs(gap) desc nulls last) as gap_rank
    from pairs
)
select location_id, any_value(location_name) as location_name, measure, from_iso3, into_iso3,
       any_value(inbound_reporter) as inbound_reporter, any_value(outbound_reporter) as outbound_reporter,
       coalesce(bool_or(inbound_synthetic), false) as inbound_synthetic,
       coalesce(bool_or(outbound_synthetic), false) as outbound_synthetic,
       count(*) as months, count(gap) as months_compared,
       sum(inbound_value) filter (where gap is not null) as inbound_total,
       sum(outbound_value) filter (where gap is not null) as outbound_total,
       sum(gap) as net_gap, sum(abs(gap)) as absolute_gap,
       max(abs(gap)) as largest_gap,
       any_value(period_start) filter (where gap_rank = 1) as largest_gap_month,
       any_value(gap) filter (where gap_rank = 1) as largest_gap_signed
from ranked
group by location_id, measure, from_iso3, into_iso3
order by absolute_gap desc nulls last, location_id, measure
