-- Overview: exercise notices whose activity starts in the 90 days up to $ref_date, how many were notified
-- late (lead time below the paragraph 38 threshold) and how many reached an observation threshold (47.4).
with source as (
    select n.notice_id, n.source_id, n.notified_on, n.start_date, n.troops, n.battle_tanks, n.acvs, n.artillery,
           n.sorties, coalesce(n.airborne_amphibious, false) as airborne_amphibious, n.observers_invited
    from macros.notices_near($border_a, $border_b, $countries) n
    where n.start_date > $ref_date - interval 90 day and n.start_date <= $ref_date
),
lead_rule as (
    select value as min_days from vd_thresholds where paragraph = '38' and metric = 'lead_time_days'
),
observation as (
    select distinct notice_id, source_id
    from macros.thresholds_reached('source')
    where applies_to like 'observation%'
)
select count(*) as notices,
       count(*) filter (where s.start_date - s.notified_on < l.min_days) as late,
       count(*) filter (where s.notified_on is null) as lead_time_unknown,
       count(o.notice_id) as observation_threshold,
       count(o.notice_id) filter (where s.observers_invited = false) as observation_without_invitation,
       (select min_days from lead_rule) as min_lead_days
from source s
cross join lead_rule l
left join observation o on o.notice_id = s.notice_id and o.source_id = s.source_id
