-- The Vienna Document verdicts of each notice, stored in the scratch exercise_notices after the policy ran, so
-- that the release table and its extracts carry them (macros.notice_verdicts, sql/app/vd_macros.sql: the rule the
-- app also reads). They are judged on the values as published only: a value any rule changed (in _touched:
-- dropped, suppressed, rounded, coarsened) counts as unknown, so a verdict never tells more than the release does.
create or replace table exercise_notices as
with source as (
    select * from exercise_notices
),
published as (
    select notice_id, source_id, airborne_amphibious,
           case when list_contains(_touched, 'troops') then null else troops end as troops,
           case when list_contains(_touched, 'battle_tanks') then null else battle_tanks end as battle_tanks,
           case when list_contains(_touched, 'acvs') then null else acvs end as acvs,
           case when list_contains(_touched, 'artillery') then null else artillery end as artillery,
           case when list_contains(_touched, 'sorties') then null else sorties end as sorties,
           -- a date published without its day (precision week, month or year) gives the lead time as a range
           case when list_contains(_touched, 'notified_on') then null else notified_on end as notified_on,
           notified_on_precision,
           case when list_contains(_touched, 'start_date') then null else start_date end as start_date,
           start_date_precision,
           case when list_contains(_touched, 'without_advance_notice') then null else without_advance_notice end
               as without_advance_notice,
           case when list_contains(_touched, 'without_advance_notice') then 'dropped'
                else without_advance_notice_status end as without_advance_notice_status
    from source
),
verdicts as (
    select * from macros.notice_verdicts('published')
)
select s.*, v.lead_days, v.late, v.late_paragraph, v.notifiable, v.notifiable_paragraphs, v.observation_required,
       v.observation_paragraphs
from source s
left join verdicts v on v.notice_id = s.notice_id and v.source_id = s.source_id
