-- Fields a newer version of the same series changed, old beside new, before the project is replaced.
-- Rows become JSON objects so that every field compares as text the same way on both sides.
insert into revisions
with current as (
    select t.* exclude (nearest_border_id, distance_to_border_km, source_line), s.version
    from infrastructure_projects t
    join sources s using (source_id)
    where s.series_id = $series_id and t.project_id in (select project_id from _incoming)
),
old_long as (
    select c.project_id, c.source_id, c.version, field, c.j ->> field as old_value
    from (select project_id, source_id, version, to_json(current) as j from current) c,
         unnest(json_keys(c.j)) as keys(field)
    where field not in ('project_id', 'source_id', 'version')
),
new_long as (
    select i.project_id, field, i.j ->> field as new_value
    from (select project_id, to_json(_incoming) as j from _incoming) i,
         unnest(json_keys(i.j)) as keys(field)
    where field not in ('project_id', 'source_id', 'nearest_border_id', 'distance_to_border_km', 'source_line')
)
select
    'infrastructure_projects', o.project_id, o.field, o.old_value, n.new_value, null, null,
    o.source_id, $source_id, o.version, $version, now()::timestamp
from old_long o
join new_long n using (project_id, field)
where o.old_value is distinct from n.new_value
