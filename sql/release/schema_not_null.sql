-- Canonical columns declared NOT NULL: keys a policy may not drop.
with source as (
    select table_name, column_name, is_nullable
    from information_schema.columns
    where table_schema = 'main'
      and table_name in ('crossings', 'exercise_notices', 'infrastructure_projects')
),
renamed as (
    select table_name as dataset, column_name as field
    from source
    where is_nullable = 'NO'
)
select dataset, field
from renamed
order by dataset, field
