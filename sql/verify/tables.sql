-- The tables of a release database, to compare with the row counts release.json lists.
with source as (
    select table_name from duckdb_tables() where schema_name = 'main'
)
select table_name
from source
order by table_name
