-- Columns of the canonical tables of the attached working database, to check it has the current schema.
with source as (
    select database_name, schema_name, table_name, column_name
    from duckdb_columns()
),
renamed as (
    select table_name as dataset, column_name as field
    from source
    where database_name = 'work' and schema_name = 'main'
      and table_name in ('crossings', 'exercise_notices', 'infrastructure_projects')
)
select dataset, field
from renamed
order by dataset, field
