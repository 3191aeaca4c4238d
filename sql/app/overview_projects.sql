-- Overview: infrastructure projects by status (border and countries filters apply; all dates).
with source as (
    select status, kind
    from macros.projects_near($border_a, $border_b, $countries)
)
select coalesce(status, 'unknown') as status, count(*) as projects from source group by all order by projects desc, status
