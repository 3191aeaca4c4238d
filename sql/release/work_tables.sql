-- Tables of the attached working database: publish checks the canonical ones exist, copies reference ones.
with source as (
    select database_name, schema_name, table_name
    from duckdb_tables()
),
renamed as (
    select table_name
    from source
    where database_name = 'work' and schema_name = 'main'
)
select table_name
from renamed
order by table_name
