-- The span of dates in the release: crossing periods and exercise notices (notified and start dates).
with dates as (
    select min(period_start) as first_day, max(period_start) as last_day from crossings
    union all select min(least(notified_on, start_date)), max(greatest(notified_on, start_date)) from exercise_notices
)
select min(first_day)::date as first_day, max(last_day)::date as last_day from dates
