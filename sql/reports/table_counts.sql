with counts as (
    select 'crossings' as table_name, count(*) as rows from crossings
    union all select 'exercise_notices', count(*) from exercise_notices
    union all select 'infrastructure_projects', count(*) from infrastructure_projects
    union all select 'borders', count(*) from borders
    union all select 'countries', count(*) from countries
    union all select 'sources', count(*) from sources
    union all select 'quarantine', count(*) from quarantine
    union all select 'revisions', count(*) from revisions
)
select table_name, rows from counts
