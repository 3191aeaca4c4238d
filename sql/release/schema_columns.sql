-- Columns and types of the canonical tables: the allow-list that policy rules and conditions may name.
with source as (
    select table_name, column_name, data_type, ordinal_position
    from information_schema.columns
    where table_schema = 'main'
      and table_name in ('crossings', 'exercise_notices', 'infrastructure_projects')
),
renamed as (
    select table_name as dataset, column_name as field, data_type, ordinal_position
    from source
)
select dataset, field, data_type
from renamed
order by dataset, ordinal_position
