-- Rows per dataset, to size the definitions on the About page.
with counts as (
    select 'crossings' as dataset, count(*) as records from crossings
    union all select 'exercise_notices', count(*) from exercise_notices
    union all select 'infrastructure_projects', count(*) from infrastructure_projects
)
select dataset, records from counts order by dataset
