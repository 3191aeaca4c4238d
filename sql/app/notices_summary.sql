-- Exercise notices page: the figures above the table, counted in DuckDB over every notice in the period (the
-- rows notices_page lists, all pages): how many, late (lead time below paragraph 38), without a notification
-- date, reaching a notification (40.x) or observation (47.4) threshold, and of those reaching 47.4 how many
-- invited no observers. A withheld number is NULL and never counts as below or above a threshold: a notice that
-- reaches no threshold of a kind on its published numbers, while a number that kind reads is withheld
-- (suppressed or not stated), cannot be judged and is counted as undecided (as notices_chapter8 counts
-- `unclassified`), never as below the threshold. For "no observers invited" a notice is undecided also when it
-- reaches 47.4 but does not say whether it invited observers.
with source as (
    select n.notice_id, n.source_id, n.notified_on, n.start_date, n.troops, n.battle_tanks, n.acvs, n.artillery,
           n.sorties, coalesce(n.airborne_amphibious, false) as airborne_amphibious, n.observers_invited
    from macros.filtered_notices($date_from, $date_to, $border_a, $border_b, $countries) n
),
lead_rule as (
    select value as min_days from vd_thresholds where paragraph = '38' and metric = 'lead_time_days'
),
judged as (
    select s.*, j.notification_threshold, j.observation_threshold, j.notification_undecided,
           j.observation_undecided
    from source s
    join macros.threshold_judgement('source') j on j.notice_id = s.notice_id and j.source_id = s.source_id
)
select count(*) as notices,
       count(*) filter (where j.start_date - j.notified_on < l.min_days) as late,
       count(*) filter (where j.notified_on is null) as lead_unknown,
       count(*) filter (where j.notification_threshold) as notification_threshold,
       count(*) filter (where j.notification_undecided) as notification_undecided,
       count(*) filter (where j.observation_threshold) as observation_threshold,
       count(*) filter (where j.observation_undecided) as observation_undecided,
       count(*) filter (where j.observation_threshold and j.observers_invited = false) as observers_missing,
       count(*) filter (where (j.observation_threshold and j.observers_invited is null)
                        or (j.observation_undecided and j.observers_invited is not true)) as observers_undecided
from judged j
cross join lead_rule l
