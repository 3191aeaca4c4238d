-- The Vienna Document 2011 rules over notices, each defined once, as macros in the catalog `macros` (see
-- macros.sql for how a statement calls them). They read only the notices given and vd_thresholds, so publish
-- can run this file alone on its scratch tables to store the verdicts in exercise_notices (sql/release/
-- notice_verdicts.sql), and the app runs it before macros.sql. The CTE names used inside cannot be the name of
-- the caller's CTE: vd_metrics, reached, numbers_unknown, unknown, lead_rules, applicable, timed, judged_lead.

-- The last day a date published (or coarsened) to a week, month or year can stand for: 'Jan 1980' is stored as
-- 1980-01-01 with precision 'month', and an exercise that ends then may run to 31 January. A period filter
-- compares a row's end with it, so a row that may be under way in the period is never left out of it.
create or replace macro macros.last_possible_day(d, precision) as
    case precision when 'week' then d + 6
                   when 'month' then last_day(d)
                   when 'year' then make_date(year(d), 12, 31)
                   else d end;
-- (Defined here, not in macros.sql, because publish runs this file alone for the verdicts below.)

-- The fewest and the most days from notification to start that two dates published to a day, week, month or year
-- can stand for: notified 'Mar 1980' for an exercise starting 2 April 1980 is 2 to 32 days. Equal for two dates
-- with their day; NULL when either date is.
create or replace macro macros.lead_days_least(notified_on, notified_on_precision, start_date) as
    start_date - macros.last_possible_day(notified_on, notified_on_precision);
create or replace macro macros.lead_days_most(notified_on, start_date, start_date_precision) as
    macros.last_possible_day(start_date, start_date_precision) - notified_on;

-- The Vienna Document notification (40.x) and observation (47.4) thresholds that each notice of the CTE named
-- `notices` reaches (columns notice_id, source_id, airborne_amphibious, troops, battle_tanks, acvs, artillery,
-- sorties): one row per notice and threshold row of vd_thresholds met. The airborne/amphibious rows apply only to
-- such activities. A withheld number is NULL and meets no threshold.
create or replace macro macros.thresholds_reached(notices) as table
    with vd_metrics as (
        unpivot (select notice_id, source_id, coalesce(airborne_amphibious, false) as airborne_amphibious,
                        troops, battle_tanks, acvs, artillery, sorties
                 from query_table(notices))
        on troops, battle_tanks, acvs, artillery, sorties into name metric value amount
    )
    select m.notice_id, m.source_id, t.paragraph, t.applies_to, t.metric, t.operator, t.value
    from vd_metrics m
    join vd_thresholds t on t.metric = m.metric
    where (t.applies_to in ('notification', 'observation')
           or (t.applies_to in ('notification_airborne_amphibious', 'observation_airborne_amphibious')
               and m.airborne_amphibious))
      and case t.operator when '>=' then m.amount >= t.value when '>' then m.amount > t.value else false end;

-- Per notice of `notices` (columns as for thresholds_reached): whether it reaches a notification (40.x) or an
-- observation (47.4) threshold, and whether that cannot be judged: it reaches none of that kind on its published
-- numbers while a number that kind reads is withheld (NULL). Undecided is never counted as below the threshold
-- (notices_chapter8 counts the same notices as `unclassified`). Also the paragraphs reached (*_reached) and those a
-- withheld number leaves open (*_open).
create or replace macro macros.threshold_judgement(notices) as table
    with reached as (
        select notice_id, source_id,
               bool_or(applies_to like 'notification%') as notification_threshold,
               bool_or(applies_to like 'observation%') as observation_threshold,
               list_sort(list_distinct(list(paragraph) filter (where applies_to like 'notification%')))
                   as notification_reached,
               list_sort(list_distinct(list(paragraph) filter (where applies_to like 'observation%')))
                   as observation_reached
        from macros.thresholds_reached(notices)
        group by all
    ),
    numbers_unknown as (
        -- one row per notice and number: is it unknown (NULL)? (a flag, so that unpivot keeps every row)
        unpivot (select notice_id, source_id, coalesce(airborne_amphibious, false) as airborne_amphibious,
                        troops is null as troops, battle_tanks is null as battle_tanks, acvs is null as acvs,
                        artillery is null as artillery, sorties is null as sorties
                 from query_table(notices))
        on troops, battle_tanks, acvs, artillery, sorties into name metric value unknown
    ),
    unknown as (
        -- the airborne/amphibious rules apply only to such activities, as in thresholds_reached
        select u.notice_id, u.source_id,
               bool_or(t.applies_to like 'notification%') as notification_unknown,
               bool_or(t.applies_to like 'observation%') as observation_unknown,
               list_sort(list_distinct(list(t.paragraph) filter (where t.applies_to like 'notification%')))
                   as notification_open,
               list_sort(list_distinct(list(t.paragraph) filter (where t.applies_to like 'observation%')))
                   as observation_open
        from numbers_unknown u
        join vd_thresholds t on t.metric = u.metric
        where u.unknown
          and (t.applies_to in ('notification', 'observation')
               or (t.applies_to in ('notification_airborne_amphibious', 'observation_airborne_amphibious')
                   and u.airborne_amphibious))
        group by all
    )
    select n.notice_id, n.source_id,
           coalesce(r.notification_threshold, false) as notification_threshold,
           coalesce(r.observation_threshold, false) as observation_threshold,
           not coalesce(r.notification_threshold, false) and coalesce(u.notification_unknown, false)
               as notification_undecided,
           not coalesce(r.observation_threshold, false) and coalesce(u.observation_unknown, false)
               as observation_undecided,
           coalesce(r.notification_reached, []) as notification_reached,
           coalesce(r.observation_reached, []) as observation_reached,
           coalesce(u.notification_open, []) as notification_open,
           coalesce(u.observation_open, []) as observation_open
    from query_table(notices) n
    left join reached r on r.notice_id = n.notice_id and r.source_id = n.source_id
    left join unknown u on u.notice_id = n.notice_id and u.source_id = n.source_id;


-- The verdicts of each notice of `notices` (columns as for thresholds_reached, plus notified_on,
-- notified_on_precision, start_date, start_date_precision, without_advance_notice and
-- without_advance_notice_status), each yes / no / unknown with the paragraphs that decide it: lead_days
-- (start_date - notified_on, both dates with their day) and late, against para 38 (42 days), or para 41 (notified
-- at the start) for an activity carried out without advance notice to the troops, over every lead time a date
-- without its day can stand for (lead_days_least to lead_days_most); notifiable (40.x) and
-- observation_required (47.4) by threshold_judgement. Unknown whenever a NULL value could change the answer:
-- a missing date; a withheld or dropped without_advance_notice where the lead time meets para 41 but not 38 (not
-- stated is no claim to para 41: para 38); a withheld number where no threshold of that kind is reached.
-- Paragraphs: yes, those met (late: the one broken); unknown, those left open; no, all that were checked.
create or replace macro macros.notice_verdicts(notices) as table
    with lead_rules as (
        select max(value) filter (where applies_to = 'lead_time') as min_days,
               max(value) filter (where applies_to = 'lead_time_without_advance_notice') as min_days_unannounced
        from vd_thresholds
        where metric = 'lead_time_days'
    ),
    applicable as (
        -- every notification and observation paragraph a notice is judged by (airborne rows only for such)
        select n.notice_id, n.source_id,
               list_sort(list_distinct(list(t.paragraph) filter (where t.applies_to like 'notification%')))
                   as notification_all,
               list_sort(list_distinct(list(t.paragraph) filter (where t.applies_to like 'observation%')))
                   as observation_all
        from query_table(notices) n
        join vd_thresholds t
          on t.applies_to in ('notification', 'observation')
          or (t.applies_to in ('notification_airborne_amphibious', 'observation_airborne_amphibious')
              and coalesce(n.airborne_amphibious, false))
        group by all
    ),
    timed as (
        -- a verdict holds for a date without its day only when every day it can stand for gives the same answer
        select notice_id, source_id,
               case when coalesce(notified_on_precision, 'day') = 'day' and coalesce(start_date_precision, 'day') = 'day'
                    then start_date - notified_on end as lead_days,
               macros.lead_days_least(notified_on, notified_on_precision, start_date) as lead_least,
               macros.lead_days_most(notified_on, start_date, start_date_precision) as lead_most,
               coalesce(without_advance_notice, false) as unannounced,
               without_advance_notice is null
                   and coalesce(without_advance_notice_status, 'missing') not in ('missing', 'reported')
                   as unannounced_unknown
        from query_table(notices)
    ),
    judged_lead as (
        select t.notice_id, t.source_id, t.lead_days,
               case when t.lead_least is null then 'unknown'
                    when t.unannounced then case when t.lead_least >= r.min_days_unannounced then 'no'
                                                 when t.lead_most < r.min_days_unannounced then 'yes'
                                                 else 'unknown' end
                    when t.lead_least >= r.min_days then 'no'
                    -- not told whether para 41 applies: late only if late under both paragraphs
                    when t.lead_most < case when t.unannounced_unknown then r.min_days_unannounced
                                            else r.min_days end then 'yes'
                    else 'unknown' end as late,
               case when t.unannounced then '41'
                    when t.unannounced_unknown and (t.lead_least is null or (t.lead_least < r.min_days
                                                    and t.lead_most >= r.min_days_unannounced)) then null
                    else '38' end as late_paragraph
        from timed t
        cross join lead_rules r
    )
    select l.notice_id, l.source_id, l.lead_days, l.late, l.late_paragraph,
           case when j.notification_threshold then 'yes' when j.notification_undecided then 'unknown' else 'no' end
               as notifiable,
           case when j.notification_threshold then j.notification_reached
                when j.notification_undecided then j.notification_open
                else coalesce(a.notification_all, []) end as notifiable_paragraphs,
           case when j.observation_threshold then 'yes' when j.observation_undecided then 'unknown' else 'no' end
               as observation_required,
           case when j.observation_threshold then j.observation_reached
                when j.observation_undecided then j.observation_open
                else coalesce(a.observation_all, []) end as observation_paragraphs
    from judged_lead l
    join macros.threshold_judgement(notices) j on j.notice_id = l.notice_id and j.source_id = l.source_id
    left join applicable a on a.notice_id = l.notice_id and a.source_id = l.source_id;
