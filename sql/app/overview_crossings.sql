-- Overview: per reporter and measure, the reporter's own latest 12 months with data (on or before $date_to)
-- against its 12 months before. Publishers' figures end in different months; comparing each with itself keeps
-- a publisher whose figures run further from making the others look like a fall. Where two reporters count the
-- same flow (one side's outbound figure, the other side's inbound figure at the same crossing point, month
-- and measure), only the inbound figure counts.
with source as not materialized (
    -- period_start is the month here, so that inbound_first matches the two sides' figures within a month
    select c.location_id, c.country_iso3, c.neighbor_iso3, c.direction,
           coalesce(c.reporter_iso3, c.reporter_org) as reporter,
           date_trunc('month', c.period_start)::date as period_start, c.measure, c.value, c.value_status
    from macros.crossings_near($border_a, $border_b, $countries) c
    where c.period_start <= $date_to
      and c.period_granularity in ('day', 'month')
),
deduplicated as (
    select * from macros.inbound_first('source')
),
monthly as (
    -- a few thousand rows: publisher x measure x month, so the windows below cost nothing
    select reporter, measure, period_start as month, sum(value) as value, count(*) as figures,
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
