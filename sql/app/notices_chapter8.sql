-- Chapter VIII (constraining provisions) per notifying state and calendar year, against the limits in
-- vd_thresholds: 67 (activities in the three calendar years ending that year), 68 and 68.1 (per calendar
-- year), 69 (most such activities under way at the same time). Counts every notice of the state in the
-- release, whatever the border; the period chooses the years. A notice whose troops and tanks are both
-- withheld cannot be classified: it is counted as unclassified, never as below the thresholds.
with source as (
    select notice_id, notifying_iso3, start_date, coalesce(end_date, start_date) as end_date,
           troops, battle_tanks, year(start_date) as year
    from exercise_notices
    where notifying_iso3 is not null and start_date is not null
      and ($countries is null or list_contains($countries, notifying_iso3))
),
metrics as (
    unpivot (select notice_id, notifying_iso3, start_date, end_date, year, troops, battle_tanks from source)
    on troops, battle_tanks into name metric value amount
),
above_ceiling as (
    -- "more than 13,000 troops or 300 battle tanks but not more than 40,000 troops or 900 battle tanks" (para 68)
    select distinct m.notice_id, t.paragraph
    from metrics m
    join vd_thresholds t on t.metric = m.metric and t.applies_to = 'constraint_ceiling'
    where case t.operator when '>' then m.amount > t.value when '>=' then m.amount >= t.value else false end
),
qualifying as (
    select distinct m.notice_id, m.notifying_iso3, m.start_date, m.end_date, m.year, t.paragraph
    from metrics m
    join vd_thresholds t on t.metric = m.metric and t.applies_to = 'constraint_activity'
    anti join above_ceiling c on c.notice_id = m.notice_id and c.paragraph = t.paragraph
    where case t.operator when '>' then m.amount > t.value when '>=' then m.amount >= t.value else false end
),
limits as (
    select paragraph, metric as limit_metric, value as limit_value, description
    from vd_thresholds where applies_to = 'constraint_limit'
),
state_years as (
    select notifying_iso3, year, count(*) as notices,
           count(*) filter (where troops is null and battle_tanks is null) as unclassified
    from source
    where year between year($date_from) and year($date_to)
    group by all
),
yearly as (
    select y.notifying_iso3, y.year, q.paragraph, count(distinct q.notice_id) as activities,
           list(distinct q.notice_id order by q.notice_id) as notice_ids
    from state_years y
    join limits l on true
    join qualifying q on q.notifying_iso3 = y.notifying_iso3 and q.paragraph = l.paragraph
        and q.year between y.year - case l.limit_metric when 'activities_in_three_calendar_years' then 2 else 0 end
                       and y.year
    group by all
),
simultaneous as (
    select a.notifying_iso3, a.year, a.paragraph, max(overlapping) as activities
    from (
        select a.notice_id, a.notifying_iso3, a.year, a.paragraph, count(distinct b.notice_id) as overlapping
        from qualifying a
        join qualifying b on b.notifying_iso3 = a.notifying_iso3 and b.paragraph = a.paragraph
            and b.start_date <= a.start_date and b.end_date >= a.start_date
        group by all
    ) a
    group by all
),
counted as (
    select y.notifying_iso3, y.year, l.paragraph, y.notices, y.unclassified,
           case when l.limit_metric = 'simultaneous_activities' then coalesce(s.activities, 0)
                else coalesce(c.activities, 0) end as activities,
           c.notice_ids, l.limit_metric, l.limit_value, l.description
    from state_years y
    cross join limits l
    left join yearly c on c.notifying_iso3 = y.notifying_iso3 and c.year = y.year and c.paragraph = l.paragraph
    left join simultaneous s on s.notifying_iso3 = y.notifying_iso3 and s.year = y.year and s.paragraph = l.paragraph
)
select c.notifying_iso3, coalesce(n.name, c.notifying_iso3) as state, c.year, c.paragraph, c.activities,
       c.limit_value, c.activities > c.limit_value as over_limit, c.limit_metric, c.description, c.notices,
       c.unclassified, c.notice_ids
from counted c left join countries n on n.iso3 = c.notifying_iso3
order by state, c.year, string_split(c.paragraph, '.')[1]::int, c.paragraph
