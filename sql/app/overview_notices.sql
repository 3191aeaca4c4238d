-- Overview: exercise notices whose activity starts in the 90 days up to $ref_date, how many were notified
-- late (the verdict publish stored: para 38, or 41) and how many reached an observation threshold (47.4). A
-- notice that reaches no observation threshold on its published numbers while a number 47.4 reads is withheld
-- (NULL) cannot be judged: it is counted as undecided, never as below the threshold (as in notices_summary).
with source as (
    select n.late, n.notifiable, n.observation_required, n.observers_invited
    from macros.notices_near($border_a, $border_b, $countries) n
    where n.start_date > $ref_date - interval 90 day and n.start_date <= $ref_date
)
select notices, late, lead_unknown as lead_time_unknown, observation_threshold, observation_undecided,
       observers_missing as observation_without_invitation,
       observers_undecided as observation_without_invitation_undecided, min_lead_days
from macros.notice_figures('source')
