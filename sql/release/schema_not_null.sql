-- Canonical columns declared NOT NULL: keys a policy may not drop. `crossings` is a view (migration 013): its
-- NOT NULL columns are those of the cube's tables it joins, less their internal ids.
with source as (
    select table_name, column_name, is_nullable
    from information_schema.columns
    where table_schema = 'main'
      and table_name in ('crossing_places', 'crossing_series', 'crossing_facts', 'exercise_notices',
                         'infrastructure_projects')
),
renamed as (
    select
        case when table_name like 'crossing\_%' escape '\' then 'crossings' else table_name end as dataset,
        column_name as field
    from source
    where is_nullable = 'NO'
      and column_name not in ('place_id', 'series_id')
)
select distinct dataset, field
from renamed
order by dataset, field
