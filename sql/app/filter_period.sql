-- The span of dates in the release that the app draws as time (macros.charted): crossing periods and exercise
-- notices (notified and start dates). A date outside that span (year 0, 1200, 12345) does not stretch the filter.
with dates as (
    select period_start as day from crossings
    union all select notified_on from exercise_notices
    union all select start_date from exercise_notices
),
charted as (
    select day from dates where macros.charted(day)
)
select min(day)::date as first_day, max(day)::date as last_day from charted
