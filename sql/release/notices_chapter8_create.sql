-- Chapter VIII (constraining provisions) per notifying state and calendar year, against the limits in
-- vd_thresholds: 67 (activities in the three calendar years ending that year), 68 and 68.1 (per calendar
-- year), 69 (most such activities under way at the same time). Counts every notice of the state in the
-- release, whatever the border; the period chooses the years. A notice with its troops or its tanks withheld
-- cannot be classified with certainty (the withheld number might reach a threshold, or pass a ceiling): it is
-- counted as unclassified, besides the paragraphs its published numbers reach; never as below the thresholds.
-- A date published without its day (precision week, month or year) leaves open which days a notice was under way:
-- paragraph 69 is counted twice, on the days it is surely under way (from the last day its start can stand for to
-- the first its end can: `activities`) and on the days it may be (from the first to the last possible day:
-- `activities_possible`); over_limit is NULL (unknown) when only the second passes the limit. Paragraphs 67 and 68
-- count by the start's calendar year, which a month or year precision leaves known.
-- Made at publish time (release format 7) for every notifying state and every year of the release, from the published
-- exercise_notices and vd_thresholds alone: every figure is per state, and the period only chooses the years, so the
-- page's statement (sql/app/notices_chapter8.sql) reads the rows of its states and years from this table instead of
-- counting every notice of the release at each view (100,000 notices: 110-150 ms a view). Run with the release as
-- the default catalog and the app's macros attached; $ids_stored is the most notice ids kept per row.
create table notices_chapter8 as
with source as (
    select notice_id, notifying_iso3, start_date, coalesce(end_date, start_date) as end_date,
           macros.last_possible_day(start_date, start_date_precision) as start_latest,
           coalesce(macros.last_possible_day(end_date, end_date_precision),
                    macros.last_possible_day(start_date, start_date_precision)) as end_latest,
           troops, battle_tanks, year(start_date) as year
    from exercise_notices
    where notifying_iso3 is not null and start_date is not null
),
metrics as (
    unpivot (select notice_id, notifying_iso3, start_date, end_date, start_latest, end_latest, year, troops,
                    battle_tanks from source)
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
    select distinct m.notice_id, m.notifying_iso3, m.start_date, m.end_date, m.start_latest, m.end_latest, m.year,
           t.paragraph
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
    group by all
),
yearly as (
    select y.notifying_iso3, y.year, q.paragraph, count(distinct q.notice_id) as activities,
           -- the first $ids_stored ids (in id order) name the activities; `activities` says how many there are
           list_slice(list(distinct q.notice_id order by q.notice_id), 1, $ids_stored) as notice_ids
    from state_years y
    join limits l on true
    join qualifying q on q.notifying_iso3 = y.notifying_iso3 and q.paragraph = l.paragraph
        and q.year between y.year - case l.limit_metric when 'activities_in_three_calendar_years' then 2 else 0 end
                       and y.year
    group by all
),
bounded as (
    -- each qualifying notice's days under way, surely (bound 'certain') and possibly (bound 'possible'); a notice
    -- whose end is before its start has none, and one whose days are all uncertain is surely under way on none
    select notifying_iso3, paragraph, notice_id, 'certain' as bound, start_latest as start_date, end_date
    from qualifying
    union all
    select notifying_iso3, paragraph, notice_id, 'possible', start_date, end_latest from qualifying
),
spans as (
    select bound, notifying_iso3, paragraph, notice_id, count(*) as spans, min(start_date) as start_date,
           max(end_date) as end_date
    from bounded
    where end_date >= start_date
    group by all
),
islands as (
    -- the days under way as disjoint intervals, so that each notice id counts once, as count(distinct notice_id)
    -- would: one interval per id, or, for an id published with different dates (two publishers), its
    -- overlapping intervals merged (gaps and islands)
    select bound, notifying_iso3, paragraph, notice_id, start_date, end_date from spans where spans = 1
    union all
    select bound, notifying_iso3, paragraph, notice_id, min(start_date), max(end_date)
    from (
        select *, sum(case when start_date <= ended_before then 0 else 1 end)
                      over (partition by bound, notifying_iso3, paragraph, notice_id order by start_date, end_date
                            rows between unbounded preceding and current row) as island
        from (
            select b.bound, b.notifying_iso3, b.paragraph, b.notice_id, b.start_date, b.end_date,
                   max(b.end_date) over (partition by b.bound, b.notifying_iso3, b.paragraph, b.notice_id
                                         order by b.start_date, b.end_date
                                         rows between unbounded preceding and 1 preceding) as ended_before
            from bounded b
            semi join spans s on s.bound = b.bound and s.notifying_iso3 = b.notifying_iso3
                and s.paragraph = b.paragraph and s.notice_id = b.notice_id and s.spans > 1
            where b.end_date >= b.start_date
        )
    )
    group by bound, notifying_iso3, paragraph, notice_id, island
),
probes as (
    -- where the count under way is read (paragraph 69): the start day of each qualifying notice of the year; for
    -- the sure count only a start published to the day (it is a day an activity starts), for the possible count
    -- every day the start can stand for
    select 'certain' as bound, notifying_iso3, paragraph, year, start_date as probe_from, start_date as probe_to
    from qualifying
    where start_latest = start_date
    union all
    select 'possible', notifying_iso3, paragraph, year, start_date, start_latest from qualifying
),
events as (
    -- a sweep instead of a self-join: +1 where an activity starts, -1 the day after it ends, and 0 on the first
    -- day of each probe, so that the count there is read; one row per bound, state, paragraph and day
    select bound, notifying_iso3, paragraph, day, sum(delta) as delta
    from (
        select bound, notifying_iso3, paragraph, start_date as day, 1 as delta from islands
        union all
        select bound, notifying_iso3, paragraph, end_date + 1, -1 from islands
        union all
        select bound, notifying_iso3, paragraph, probe_from, 0 from probes
    )
    group by all
),
under_way as (
    -- activities under way on each day: the running sum includes every event of that day, so an activity
    -- ending the day before does not count and one starting that day does (b.start <= day <= b.end)
    select bound, notifying_iso3, paragraph, day,
           sum(delta) over (partition by bound, notifying_iso3, paragraph order by day
                            range between unbounded preceding and current row) as activities
    from events
),
simultaneous as (
    -- the most activities under way on the start day of any activity starting in the year (paragraph 69): surely,
    -- and possibly
    select p.notifying_iso3, p.year, p.paragraph,
           max(u.activities) filter (where p.bound = 'certain')::bigint as activities,
           max(u.activities) filter (where p.bound = 'possible')::bigint as activities_possible
    from probes p
    join under_way u on u.bound = p.bound and u.notifying_iso3 = p.notifying_iso3 and u.paragraph = p.paragraph
        and u.day between p.probe_from and p.probe_to
    group by all
),
counted as (
    select y.notifying_iso3, y.year, l.paragraph, y.notices, y.unclassified,
           case when l.limit_metric = 'simultaneous_activities' then coalesce(s.activities, 0)
                else coalesce(c.activities, 0) end as activities,
           case when l.limit_metric = 'simultaneous_activities' then coalesce(s.activities_possible, 0)
                else coalesce(c.activities, 0) end as activities_possible,
           c.notice_ids, coalesce(c.activities, 0) as notice_ids_total, l.limit_metric, l.limit_value,
           l.description
    from state_years y
    cross join limits l
    left join yearly c on c.notifying_iso3 = y.notifying_iso3 and c.year = y.year and c.paragraph = l.paragraph
    left join simultaneous s on s.notifying_iso3 = y.notifying_iso3 and s.year = y.year and s.paragraph = l.paragraph
)
select c.notifying_iso3, coalesce(n.name, c.notifying_iso3) as state, c.year, c.paragraph, c.activities,
       c.activities_possible, c.limit_value,
       case when c.activities > c.limit_value then true when c.activities_possible > c.limit_value then null
            else false end as over_limit, c.limit_metric, c.description, c.notices,
       c.unclassified, c.notice_ids, c.notice_ids_total
from counted c left join countries n on n.iso3 = c.notifying_iso3
order by state, c.year, string_split(c.paragraph, '.')[1]::int, c.paragraph
