-- Columns of the attached working database's sources table, to check it has the current schema.
with source as (
    select database_name, schema_name, table_name, column_name
    from duckdb_columns()
)
select table_name, column_name
from source
where database_name = 'work' and schema_name = 'main' and table_name = 'sources'
order by column_name
