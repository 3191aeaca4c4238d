-- Is this database borderlens's? Its tables, and whether schema_version is among them (a database of another
-- program has tables but no schema_version: borderlens must not add its own to it).
with source as (
    select table_name from duckdb_tables() where database_name = current_database() and schema_name = 'main'
)
select count(*) filter (where table_name = 'schema_version') as ours, count(*) as tables
from source
