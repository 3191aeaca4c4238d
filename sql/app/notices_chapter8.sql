-- Chapter VIII (constraining provisions) per notifying state and calendar year, against the limits in
-- vd_thresholds: 67 (activities in the three calendar years ending that year), 68 and 68.1 (per calendar
-- year), 69 (most such activities under way at the same time). Counts every notice of the state in the
-- release, whatever the border; the period chooses the years. A notice with its troops or its tanks withheld
-- cannot be classified with certainty (the withheld number might reach a threshold, or pass a ceiling): it is
-- counted as unclassified, besides the paragraphs its published numbers reach; never as below the thresholds.
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
           count(*) filter (where troops is null or battle_tanks is null) as unclassified
    from source
    where year between year($date_from) and year($date_to)
    group by all
),
yearly as (
    select y.notifying_iso3, y.year, q.paragraph, count(distinct q.notice_id) as activities,
           -- the first $ids_shown ids (in id order) name the activities; `activities` says how many there are
           list_slice(list(distinct q.notice_id order by q.notice_id), 1, $ids_shown) as notice_ids
    from state_years y
    join limits l on true
    join qualifying q on q.notifying_iso3 = y.notifying_iso3 and q.paragraph = l.paragraph
        and q.year between y.year - case l.limit_metric when 'activities_in_three_calendar_years' then 2 else 0 end
                       and y.year
    group by all
),
spans as (
    -- each notice's days under way, per state and paragraph (a notice whose end is before its start has none)
    select notifying_iso3, paragraph, notice_id, count(*) as spans, min(start_date) as start_date,
           max(end_date) as end_date
    from qualifying
    where end_date >= start_date
    group by all
),
islands as (
    -- the days under way as disjoint intervals, so that each notice id counts once, as count(distinct notice_id)
    -- would: one interval per id, or, for an id published with different dates (two publishers), its
    -- overlapping intervals merged (gaps and islands)
    select notifying_iso3, paragraph, notice_id, start_date, end_date from spans where spans = 1
    union all
    select notifying_iso3, paragraph, notice_id, min(start_date), max(end_date)
    from (
        select *, sum(case when start_date <= ended_before then 0 else 1 end)
                      over (partition by notifying_iso3, paragraph, notice_id order by start_date, end_date
                            rows between unbounded preceding and current row) as island
        from (
            select q.notifying_iso3, q.paragraph, q.notice_id, q.start_date, q.end_date,
                   max(q.end_date) over (partition by q.notifying_iso3, q.paragraph, q.notice_id
                                         order by q.start_date, q.end_date
                                         rows between unbounded preceding and 1 preceding) as ended_before
            from qualifying q
            semi join spans s on s.notifying_iso3 = q.notifying_iso3 and s.paragraph = q.paragraph
                and s.notice_id = q.notice_id and s.spans > 1
            where q.end_date >= q.start_date
        )
    )
    group by notifying_iso3, paragraph, notice_id, island
),
events as (
    -- a sweep instead of a self-join: +1 where an activity starts, -1 the day after it ends, and a probe at
    -- every qualifying start, where the count under way is read; one row per state, paragraph and day
    select notifying_iso3, paragraph, day, sum(delta) as delta, bool_or(probe) as probe
    from (
        select notifying_iso3, paragraph, start_date as day, 1 as delta, false as probe from islands
        union all
        select notifying_iso3, paragraph, end_date + 1, -1, false from islands
        union all
        select notifying_iso3, paragraph, start_date, 0, true from qualifying
    )
    group by all
),
under_way as (
    -- activities under way on each day: the running sum includes every event of that day, so an activity
    -- ending the day before does not count and one starting that day does (b.start <= day <= b.end)
    select notifying_iso3, paragraph, day, probe,
           sum(delta) over (partition by notifying_iso3, paragraph order by day
                            range between unbounded preceding and current row) as activities
    from events
),
simultaneous as (
    -- the most activities under way on the start day of any activity starting in the year (paragraph 69)
    select notifying_iso3, year(day) as year, paragraph, max(activities)::bigint as activities
    from under_way
    where probe
    group by all
),
counted as (
    select y.notifying_iso3, y.year, l.paragraph, y.notices, y.unclassified,
           case when l.limit_metric = 'simultaneous_activities' then coalesce(s.activities, 0)
                else coalesce(c.activities, 0) end as activities,
           c.notice_ids, coalesce(c.activities, 0) as notice_ids_total, l.limit_metric, l.limit_value,
           l.description
    from state_years y
    cross join limits l
    left join yearly c on c.notifying_iso3 = y.notifying_iso3 and c.year = y.year and c.paragraph = l.paragraph
    left join simultaneous s on s.notifying_iso3 = y.notifying_iso3 and s.year = y.year and s.paragraph = l.paragraph
)
select c.notifying_iso3, coalesce(n.name, c.notifying_iso3) as state, c.year, c.paragraph, c.activities,
       c.limit_value, c.activities > c.limit_value as over_limit, c.limit_metric, c.description, c.notices,
       c.unclassified, c.notice_ids, c.notice_ids_total
from counted c left join countries n on n.iso3 = c.notifying_iso3
order by state, c.year, string_split(c.paragraph, '.')[1]::int, c.paragraph
