-- Exercise notices page, calendar of many notices: activities in the period by the month they start and by
-- lead time (on time, late against paragraph 38, or unknown: no notification date), one row per month and kind.
-- A notice with a date outside the span the app draws as time (macros.charted) is left out (notices_off_calendar).
with source as (
    select n.start_date, n.start_date - n.notified_on as lead_days
    from macros.filtered_notices($date_from, $date_to, $border_a, $border_b, $countries) n
    where macros.charted(n.start_date) and macros.charted(coalesce(n.end_date, n.start_date))
),
lead_rule as (
    select value as min_days from vd_thresholds where paragraph = '38' and metric = 'lead_time_days'
)
select date_trunc('month', s.start_date)::date as month,
       case when s.lead_days is null then 'unknown' when s.lead_days >= l.min_days then 'on time' else 'late' end
           as lead,
       count(*) as activities
from source s
cross join lead_rule l
group by all
order by month, lead
