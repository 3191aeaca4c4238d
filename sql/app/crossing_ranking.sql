-- Crossing points ranked: for each crossing point with figures of the chosen measures (border and countries
-- filters apply), its last 12 complete months (up to $date_to: macros.latest_two_years, each point's own months)
-- against the 12 months before, the figures published in both years (compared_last, compared_previous: the same
-- measure, direction, reporter and month a year apart, the like-with-like change), and how many figures are
-- withheld or missing (a month a publisher left without a figure: macros.covered_crossings). Where two reporters
-- count the same flow, only the inbound figure counts; a point both sides report takes its name and countries
-- from the inbound side. Sums over no published figure are NULL, never 0.
with source as not materialized (
    select *, location_id as owner
    from macros.covered_crossings($border_a, $border_b, $countries, $measures, null, null, $date_to)
),
deduplicated as (
    select * from macros.inbound_first('source')
),
windows as (
    select * from macros.latest_two_years('deduplicated')
)
select location_id,
       arg_min(location_name, (direction <> 'inbound', country_iso3, location_name)) as location_name,
       arg_min(country_iso3, (direction <> 'inbound', country_iso3)) as country_iso3,
       arg_min(neighbor_iso3, (direction <> 'inbound', country_iso3, neighbor_iso3)) as neighbor_iso3,
       any_value(latest_month) as latest_month,
       sum(value) filter (where period_window = 'last') as last_12,
       sum(value) filter (where period_window = 'previous') as previous_12,
       coalesce(sum(figures) filter (where period_window = 'last'), 0) as figures_last,
       coalesce(sum(withheld) filter (where period_window = 'last'), 0) as withheld_last,
       coalesce(sum(missing) filter (where period_window = 'last'), 0) as missing_last,
       coalesce(sum(figures) filter (where period_window = 'previous'), 0) as figures_previous,
       coalesce(sum(withheld) filter (where period_window = 'previous'), 0) as withheld_previous,
       coalesce(sum(missing) filter (where period_window = 'previous'), 0) as missing_previous,
       sum(value_paired) as compared_last, sum(value_before_paired) as compared_previous,
       count(value_before_paired) as figures_compared,
       count(distinct reporter) filter (where not absent) as reporters
from windows
group by location_id
order by last_12 desc nulls last, location_id
