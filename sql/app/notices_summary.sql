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
)
select notices, late, lead_unknown, notification_threshold, notification_undecided, observation_threshold,
       observation_undecided, observers_missing, observers_undecided
from macros.notice_figures('source')
