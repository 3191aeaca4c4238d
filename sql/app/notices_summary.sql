-- Exercise notices page: the figures above the table, counted in DuckDB over every notice in the period (the
-- rows notices_page lists, all pages): how many, late (lead time below paragraph 38), without a notification
-- date, reaching a notification (40.x) or observation (47.4) threshold, and of those reaching 47.4 how many
-- invited no observers. A withheld number is NULL and never counts as below or above a threshold.
with source as (
    select n.notice_id, n.source_id, n.notified_on, n.start_date, n.troops, n.battle_tanks, n.acvs, n.artillery,
           n.sorties, coalesce(n.airborne_amphibious, false) as airborne_amphibious, n.observers_invited
    from macros.filtered_notices($date_from, $date_to, $border_a, $border_b, $countries) n
),
lead_rule as (
    select value as min_days from vd_thresholds where paragraph = '38' and metric = 'lead_time_days'
),
flags as (
    select notice_id, source_id,
           bool_or(applies_to like 'notification%') as notification_threshold,
           bool_or(applies_to like 'observation%') as observation_threshold
    from macros.thresholds_reached('source')
    group by all
)
select count(*) as notices,
       count(*) filter (where s.start_date - s.notified_on < l.min_days) as late,
       count(*) filter (where s.notified_on is null) as lead_unknown,
       count(*) filter (where f.notification_threshold) as notification_threshold,
       count(*) filter (where f.observation_threshold) as observation_threshold,
       count(*) filter (where f.observation_threshold and s.observers_invited = false) as observers_missing
from source s
cross join lead_rule l
left join flags f on f.notice_id = s.notice_id and f.source_id = s.source_id
