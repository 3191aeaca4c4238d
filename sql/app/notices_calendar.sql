-- Exercise notices page, calendar of many notices: activities in the period by the month they start and by
-- lead time (on time, late against paragraph 38, or unknown: no notification date), one row per month and kind.
with source as (
    select n.start_date, n.start_date - n.notified_on as lead_days
    from exercise_notices n
    left join borders b on b.border_id = n.nearest_border_id
    where n.start_date <= $date_to and coalesce(n.end_date, n.start_date) >= $date_from
      and ($border_a is null or (b.iso3_a = $border_a and b.iso3_b = $border_b)
           or (b.iso3_a = $border_b and b.iso3_b = $border_a))
      and ($countries is null or list_contains($countries, n.notifying_iso3)
           or len(list_intersect($countries, n.participating_iso3)) > 0)
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
