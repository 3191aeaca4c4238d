-- Overview: per reporter and measure, the reporter's own latest 12 complete months with figures (on or before
-- $date_to) against its 12 months before (macros.latest_two_years). Publishers' figures end in different months;
-- comparing each with itself keeps a publisher whose figures run further from making the others look like a
-- fall. A month a publisher left without a figure it gives in other months counts as missing
-- (macros.covered_crossings). The change pairs figure with figure: compared_last and compared_previous sum the
-- figures published in both years (same crossing point, measure, direction and month). Where two reporters
-- count the same flow, only the inbound figure counts.
with source as not materialized (
    select *, reporter as owner
    from macros.covered_crossings($border_a, $border_b, $countries, null, null, null, $date_to)
),
deduplicated as (
    select * from macros.inbound_first('source')
),
windows as (
    select * from macros.latest_two_years('deduplicated')
)
select reporter, measure, any_value(latest_month) as latest_month,
       sum(value) filter (where period_window = 'last') as last_12,
       sum(value) filter (where period_window = 'previous') as previous_12,
       coalesce(sum(figures) filter (where period_window = 'last'), 0) as figures_last,
       coalesce(sum(withheld) filter (where period_window = 'last'), 0) as withheld_last,
       coalesce(sum(missing) filter (where period_window = 'last'), 0) as missing_last,
       coalesce(sum(figures) filter (where period_window = 'previous'), 0) as figures_previous,
       coalesce(sum(withheld) filter (where period_window = 'previous'), 0) as withheld_previous,
       coalesce(sum(missing) filter (where period_window = 'previous'), 0) as missing_previous,
       sum(value_paired) as compared_last, sum(value_before_paired) as compared_previous,
       count(value_before_paired) as figures_compared
from windows
group by reporter, measure
order by reporter, measure
