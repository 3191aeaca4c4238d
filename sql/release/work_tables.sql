-- Tables of the attached working database: publish checks the canonical ones exist, copies reference ones.
-- `crossings` is a view over the cube's tables since migration 013, so views count too.
with source as (
    select database_name, schema_name, table_name
    from duckdb_tables()
    union all
    select database_name, schema_name, view_name as table_name
    from duckdb_views()
    where not internal
),
renamed as (
    select table_name
    from source
    where database_name = 'work' and schema_name = 'main'
)
select table_name
from renamed
order by table_name
