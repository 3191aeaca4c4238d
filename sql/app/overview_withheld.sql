-- What is withheld, by dataset and status: every *_status column of the public tables, counted.
with crossing_status as (
    -- from the series' counts by status (macros.series_figures), not from every figure
    select 'crossings' as dataset, 'value' as field, entry.key as status, sum(entry.value) as n
    from (select unnest(map_entries(statuses)) as entry from macros.series_figures())
    group by all
),
notice_combinations as (
    -- counted per combination of statuses first (a few), then unpivoted: not one row per notice and field
    select notified_on_status, troops_status, battle_tanks_status, acvs_status, artillery_status, sorties_status,
           helicopters_status, observers_invited_status, in_annual_calendar_status, without_advance_notice_status,
           location_status, count(*) as n
    from exercise_notices
    group by all
),
notice_status as (
    unpivot notice_combinations on columns(* exclude (n)) into name field value status
),
project_combinations as (
    select funders_status, budget_status, location_status, count(*) as n from infrastructure_projects group by all
),
project_status as (
    unpivot project_combinations on columns(* exclude (n)) into name field value status
),
counted as (
    select dataset, field, status, n from crossing_status
    union all select 'exercise_notices', replace(field, '_status', ''), status, sum(n) from notice_status group by all
    union all select 'infrastructure_projects', replace(field, '_status', ''), status, sum(n) from project_status group by all
)
select dataset, field, status, n::bigint as n from counted order by dataset, field, status
