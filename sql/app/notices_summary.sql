-- Exercise notices page: the figures above the table, counted in DuckDB over every notice in the period (the
-- rows notices_page lists, all pages) from the verdicts publish stored (macros.notice_figures): how many, late
-- (para 38, or 41 without advance notice to the troops), lead time unknown, reaching a notification (40.x) or observation (47.4) threshold, and of those reaching 47.4 how many
-- invited no observers. A withheld number is NULL and never counts as below or above a threshold: a notice that
-- reaches no threshold of a kind on its published numbers, while a number that kind reads is withheld
-- (suppressed or not stated), cannot be judged and is counted as undecided (as notices_chapter8 counts
-- `unclassified`), never as below the threshold. For "no observers invited" a notice is undecided also when it
-- reaches 47.4 but does not say whether it invited observers.
with source as (
    select n.late, n.notifiable, n.observation_required, n.observers_invited
    from macros.filtered_notices($date_from, $date_to, $border_a, $border_b, $countries) n
)
select notices, late, lead_unknown, notification_threshold, notification_undecided, observation_threshold,
       observation_undecided, observers_missing, observers_undecided
from macros.notice_figures('source')
