-- Exercise notices in the period (activity overlapping it), with the Vienna Document indicators:
-- lead time against paragraph 38, notification (40.x) and observation (47.4) thresholds reached, read from
-- vd_thresholds. A withheld number is NULL and never counts as below a threshold: it is listed as withheld.
with source as (
    select n.*, b.name as border_name
    from exercise_notices n
    left join borders b on b.border_id = n.nearest_border_id
    where n.start_date <= $date_to and coalesce(n.end_date, n.start_date) >= $date_from
      and ($border_a is null or (b.iso3_a = $border_a and b.iso3_b = $border_b)
           or (b.iso3_a = $border_b and b.iso3_b = $border_a))
      and ($countries is null or list_contains($countries, n.notifying_iso3)
           or len(list_intersect($countries, n.participating_iso3)) > 0)
),
lead_rule as (
    select value as min_days from vd_thresholds where paragraph = '38' and metric = 'lead_time_days'
),
metrics as (
    unpivot (select notice_id, source_id, troops, battle_tanks, acvs, artillery, sorties from source)
    on troops, battle_tanks, acvs, artillery, sorties into name metric value amount
),
crossed as (
    select m.notice_id, m.source_id, t.paragraph, t.applies_to, t.metric, t.operator, t.value
    from metrics m
    join source s on s.notice_id = m.notice_id and s.source_id = m.source_id
    join vd_thresholds t on t.metric = m.metric
    where (t.applies_to in ('notification', 'observation')
           or (t.applies_to in ('notification_airborne_amphibious', 'observation_airborne_amphibious')
               and coalesce(s.airborne_amphibious, false)))
      and case t.operator when '>=' then m.amount >= t.value when '>' then m.amount > t.value else false end
),
per_notice as (
    select notice_id, source_id,
           bool_or(applies_to like 'notification%') as notification_threshold,
           bool_or(applies_to like 'observation%') as observation_threshold,
           list(struct_pack(paragraph := paragraph, metric := metric, operator := operator, value := value)
                order by paragraph, metric) as thresholds_crossed
    from crossed
    group by all
),
withheld as (
    select notice_id, source_id, list(metric order by metric) as metrics_withheld
    from (unpivot (select notice_id, source_id, troops_status, battle_tanks_status, acvs_status,
                          artillery_status, sorties_status from source)
          on columns('_status$') into name metric value status)
    where status is not null and status not in ('reported', 'estimated')
    group by all
)
select s.notice_id, s.source_id, s.designation, s.purpose, s.notifying_iso3, s.participating_iso3,
       s.notified_on, s.notified_on_status, s.start_date, s.end_date,
       (s.start_date - s.notified_on) as lead_days,
       (s.start_date - s.notified_on) >= l.min_days as lead_ok,
       s.troops, s.troops_status, s.battle_tanks, s.battle_tanks_status, s.acvs, s.acvs_status,
       s.artillery, s.artillery_status, s.sorties, s.sorties_status,
       coalesce(s.airborne_amphibious, false) as airborne_amphibious,
       coalesce(p.notification_threshold, false) as notification_threshold,
       coalesce(p.observation_threshold, false) as observation_threshold,
       p.thresholds_crossed, w.metrics_withheld,
       s.observers_invited, s.observers_invited_status, s.in_annual_calendar, s.in_annual_calendar_status,
       s.area_name, s.location_precision, s.location_status, s.time_precision,
       s.distance_to_border_km, s.border_name
from source s
cross join lead_rule l
left join per_notice p on p.notice_id = s.notice_id and p.source_id = s.source_id
left join withheld w on w.notice_id = s.notice_id and w.source_id = s.source_id
order by s.start_date desc, s.notice_id
