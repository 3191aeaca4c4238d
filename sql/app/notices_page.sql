-- Exercise notices page: one page of the notices in the period ($limit rows from row $offset + 1; $limit NULL:
-- every row, for the download of the whole table), in the order $sort names, with the Vienna Document
-- verdicts publish stored (lead_days, late, notifiable, observation_required: yes / no / unknown, and the
-- paragraphs that decide them; sql/app/vd_macros.sql) and, for the rows of the page only, the thresholds
-- reached in words (those of the paragraphs the verdicts name). A withheld number is NULL and never counts as
-- below a threshold: it is listed as withheld.
with source as (
    -- the notices in the period, narrow: the keys and what the sort needs. $sort is compared, never pasted:
    -- each choice fills one sort key and leaves the others NULL
    select n.notice_id, n.source_id, n.start_date,
           case when $sort = 'start_asc' then n.start_date end as by_start,
           case when $sort = 'lead_asc' then n.lead_days end as by_lead,
           case when $sort = 'troops_desc' then n.troops end as by_troops,
           case when $sort = 'distance_asc' then n.distance_to_border_km end as by_distance,
           case when $sort = 'notice_id' then n.notice_id end as by_id
    from macros.filtered_notices($date_from, $date_to, $border_a, $border_b, $countries) n
),
keys as (
    -- the rows of this page; notice_id and source_id (unique together) end every order, so pages neither
    -- overlap nor skip a row (the same order closes this statement)
    select * from source
    order by by_start asc nulls last, by_lead asc nulls last, by_troops desc nulls last, by_distance asc nulls last,
             by_id, start_date desc nulls last, notice_id, source_id
    limit $limit offset $offset
),
page as (
    -- the rows of this page, with the columns shown
    select k.by_start, k.by_lead, k.by_troops, k.by_distance, k.by_id,
           n.notice_id, n.source_id, n.designation, n.purpose, n.notifying_iso3,
           n.participating_iso3, n.notified_on, n.notified_on_status, n.notified_on_precision, n.start_date,
           n.start_date_precision, n.end_date, n.end_date_precision,
           n.lead_days, n.late, n.late_paragraph, n.notifiable, n.notifiable_paragraphs, n.observation_required,
           n.observation_paragraphs, n.without_advance_notice, n.without_advance_notice_status,
           n.troops, n.troops_status, n.battle_tanks, n.battle_tanks_status, n.acvs, n.acvs_status,
           n.artillery, n.artillery_status, n.sorties, n.sorties_status, n.airborne_amphibious,
           n.observers_invited, n.observers_invited_status, n.in_annual_calendar, n.in_annual_calendar_status,
           n.area_name, n.location_precision, n.location_status, n.time_precision, n.time_coarsened_to,
           n.distance_to_border_km,
           b.name as border_name
    from keys k
    join exercise_notices n on n.notice_id = k.notice_id and n.source_id = k.source_id
    left join borders b on b.border_id = n.nearest_border_id
),
per_notice as (
    -- the rules met, of the paragraphs a 'yes' verdict names (a value the policy changed decides none)
    select r.notice_id, r.source_id,
           list(struct_pack(paragraph := r.paragraph, metric := r.metric, operator := r.operator, value := r.value)
                order by r.paragraph, r.metric) as thresholds_crossed
    from macros.thresholds_reached('page') r
    join page p on p.notice_id = r.notice_id and p.source_id = r.source_id
    where (r.applies_to like 'notification%' and p.notifiable = 'yes'
           and list_contains(p.notifiable_paragraphs, r.paragraph))
       or (r.applies_to like 'observation%' and p.observation_required = 'yes'
           and list_contains(p.observation_paragraphs, r.paragraph))
    group by all
),
withheld as (
    select notice_id, source_id, list(metric order by metric) as metrics_withheld
    from (unpivot (select notice_id, source_id, troops_status, battle_tanks_status, acvs_status,
                          artillery_status, sorties_status from page)
          on columns('_status$') into name metric value status)
    where status is not null and status not in ('reported', 'estimated')
    group by all
)
select s.notice_id, s.source_id, s.designation, s.purpose, s.notifying_iso3, s.participating_iso3,
       s.notified_on, s.notified_on_status, s.notified_on_precision, s.start_date, s.start_date_precision,
       s.end_date, s.end_date_precision, s.lead_days, s.late, s.late_paragraph,
       macros.lead_days_least(s.notified_on, s.notified_on_precision, s.start_date) as lead_days_least,
       macros.lead_days_most(s.notified_on, s.start_date, s.start_date_precision) as lead_days_most,
       s.without_advance_notice, s.without_advance_notice_status,
       s.troops, s.troops_status, s.battle_tanks, s.battle_tanks_status, s.acvs, s.acvs_status,
       s.artillery, s.artillery_status, s.sorties, s.sorties_status,
       coalesce(s.airborne_amphibious, false) as airborne_amphibious,
       s.notifiable, s.notifiable_paragraphs, s.observation_required, s.observation_paragraphs,
       p.thresholds_crossed, w.metrics_withheld,
       s.observers_invited, s.observers_invited_status, s.in_annual_calendar, s.in_annual_calendar_status,
       s.area_name, s.location_precision, s.location_status, s.time_precision, s.time_coarsened_to,
       s.distance_to_border_km, s.border_name
from page s
left join per_notice p on p.notice_id = s.notice_id and p.source_id = s.source_id
left join withheld w on w.notice_id = s.notice_id and w.source_id = s.source_id
order by s.by_start asc nulls last, s.by_lead asc nulls last, s.by_troops desc nulls last,
         s.by_distance asc nulls last, s.by_id, s.start_date desc nulls last, s.notice_id, s.source_id
