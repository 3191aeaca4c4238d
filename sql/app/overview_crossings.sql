-- Overview: per reporter and measure, the reporter's own latest 12 months with data (on or before $date_to)
-- against its 12 months before. Publishers' figures end in different months; comparing each with itself keeps
-- a publisher whose figures run further from making the others look like a fall. Where two reporters count the
-- same flow (one side's outbound figure, the other side's inbound figure at the same crossing point, month
-- and measure), only the inbound figure counts.
with source as not materialized (
    select location_id, country_iso3, neighbor_iso3, direction, coalesce(reporter_iso3, reporter_org) as reporter,
           date_trunc('month', period_start)::date as month, measure, value, value_status
    from crossings
    where period_start <= $date_to
      and period_granularity in ('day', 'month')
      and ($border_a is null
           or (country_iso3 = $border_a and neighbor_iso3 = $border_b)
           or (country_iso3 = $border_b and neighbor_iso3 = $border_a))
      and ($countries is null or list_contains($countries, country_iso3) or list_contains($countries, neighbor_iso3))
),
outbound as (
    select * from source where direction = 'outbound'
),
outbound_keys as (
    select distinct location_id, month, measure, country_iso3, neighbor_iso3 from outbound
),
mirrored as (
    -- outbound figures that the other side also counts as inbound (same place, month, measure and flow):
    -- a semi join from the (few) outbound keys, so that millions of inbound-only rows cost one scan
    select o.* from outbound_keys o
    semi join source i on i.direction = 'inbound' and i.location_id = o.location_id and i.month = o.month
        and i.measure = o.measure and i.country_iso3 = o.neighbor_iso3 and i.neighbor_iso3 = o.country_iso3
),
deduplicated as (
    select * from source where direction <> 'outbound'
    union all
    select o.* from outbound o
    anti join mirrored m on m.location_id = o.location_id and m.month = o.month and m.measure = o.measure
        and m.country_iso3 = o.country_iso3 and m.neighbor_iso3 = o.neighbor_iso3
),
monthly as (
    -- a few thousand rows: publisher x measure x month, so the windows below cost nothing
    select reporter, measure, month, sum(value) as value, count(*) as figures,
           count(*) filter (where value_status in ('withheld_by_publisher', 'suppressed', 'dropped')) as withheld
    from deduplicated
    group by all
),
reporter_latest as (
    select reporter, max(month) as latest_month from monthly group by reporter
),
windowed as (
    select m.reporter, m.measure, m.month, m.value, m.figures, m.withheld, r.latest_month,
           case when m.month > r.latest_month - interval 12 month then 'last' else 'previous' end as period_window
    from monthly m join reporter_latest r on r.reporter = m.reporter
    where m.month > r.latest_month - interval 24 month
)
select reporter, measure, any_value(latest_month) as latest_month,
       sum(value) filter (where period_window = 'last') as last_12,
       sum(value) filter (where period_window = 'previous') as previous_12,
       coalesce(sum(figures) filter (where period_window = 'last'), 0) as figures_last,
       coalesce(sum(withheld) filter (where period_window = 'last'), 0) as withheld_last,
       coalesce(sum(figures) filter (where period_window = 'previous'), 0) as figures_previous,
       coalesce(sum(withheld) filter (where period_window = 'previous'), 0) as withheld_previous,
       count(*) filter (where period_window = 'last') as months_last,
       count(*) filter (where period_window = 'previous') as months_previous
from windowed
group by reporter, measure
order by reporter, measure
