-- Exercise notices page, calendar of many notices: activities in the period by the month they start and by
-- lead time (on time, late or unknown: the verdict publish stored, para 38 or 41), one row per month and kind.
-- A notice with a date outside the span the app draws as time (macros.charted) is left out (notices_off_calendar).
with source as (
    select n.start_date, n.late
    from macros.filtered_notices($date_from, $date_to, $border_a, $border_b, $countries) n
    where macros.charted(n.start_date) and macros.charted(coalesce(n.end_date, n.start_date))
)
select date_trunc('month', s.start_date)::date as month,
       case s.late when 'no' then 'on time' when 'yes' then 'late' else 'unknown' end as lead,
       count(*) as activities
from source s
group by all
order by month, lead
