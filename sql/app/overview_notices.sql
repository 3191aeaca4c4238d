-- Overview: exercise notices whose activity starts in the 90 days up to $ref_date, how many were notified
-- late (lead time below the paragraph 38 threshold) and how many reached an observation threshold (47.4). A
-- notice that reaches no observation threshold on its published numbers while a number 47.4 reads is withheld
-- (NULL) cannot be judged: it is counted as undecided, never as below the threshold (as in notices_summary).
with source as (
    select n.notice_id, n.source_id, n.notified_on, n.start_date, n.troops, n.battle_tanks, n.acvs, n.artillery,
           n.sorties, coalesce(n.airborne_amphibious, false) as airborne_amphibious, n.observers_invited
    from macros.notices_near($border_a, $border_b, $countries) n
    where n.start_date > $ref_date - interval 90 day and n.start_date <= $ref_date
),
lead_rule as (
    select value as min_days from vd_thresholds where paragraph = '38' and metric = 'lead_time_days'
),
judged as (
    select s.*, j.observation_threshold, j.observation_undecided
    from source s
    join macros.threshold_judgement('source') j on j.notice_id = s.notice_id and j.source_id = s.source_id
)
select count(*) as notices,
       count(*) filter (where j.start_date - j.notified_on < l.min_days) as late,
       count(*) filter (where j.notified_on is null) as lead_time_unknown,
       count(*) filter (where j.observation_threshold) as observation_threshold,
       count(*) filter (where j.observation_undecided) as observation_undecided,
       count(*) filter (where j.observation_threshold and j.observers_invited = false)
           as observation_without_invitation,
       count(*) filter (where (j.observation_threshold and j.observers_invited is null)
                        or (j.observation_undecided and j.observers_invited is not true))
           as observation_without_invitation_undecided,
       (select min_days from lead_rule) as min_lead_days
from judged j
cross join lead_rule l
