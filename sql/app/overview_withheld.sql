-- What is withheld, by dataset and status: every *_status column of the public tables, counted.
with crossing_status as (
    select 'crossings' as dataset, 'value' as field, value_status as status, count(*) as n from crossings group by all
),
notice_status as (
    unpivot (select notified_on_status, troops_status, battle_tanks_status, acvs_status, artillery_status,
                    sorties_status, helicopters_status, observers_invited_status, in_annual_calendar_status,
                    without_advance_notice_status, location_status from exercise_notices)
    on columns(*) into name field value status
),
project_status as (
    unpivot (select funders_status, budget_status, location_status from infrastructure_projects)
    on columns(*) into name field value status
),
counted as (
    select dataset, field, status, n from crossing_status
    union all select 'exercise_notices', replace(field, '_status', ''), status, count(*) from notice_status group by all
    union all select 'infrastructure_projects', replace(field, '_status', ''), status, count(*) from project_status group by all
)
select dataset, field, status, n::bigint as n from counted order by dataset, field, status
