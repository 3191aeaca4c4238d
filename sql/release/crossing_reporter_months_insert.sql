-- The release's crossing figures per reporter, measure and month as the app counts them (sql/app/two_year_macros.sql
-- summed_reporter_months over the whole release, after crossing_months_insert.sql): each flow once, every month from
-- the release's first to its last with a row for each key that has no figure in it (missing), the like-with-like
-- pairs of each month with the same figures a year earlier, and each month's latest complete month. The Overview's
-- crossings and Trends' same months of earlier years read it (macros.reporter_month_sums) when only the measures
-- are filtered, instead of working out the months of every key at each view. Run with the release as the default
-- catalog and the app's macros attached; made from the published tables only.
insert into crossing_reporter_months
with summed as (
    select * from macros.summed_reporter_months(null, null, null, null, null, null, null, null, null, null)
)
select reporter, measure, period_start, value, figures, published, withheld, missing, absent, complete_month,
       value_paired, value_before_paired, figures_paired
from summed
order by period_start, reporter, measure
