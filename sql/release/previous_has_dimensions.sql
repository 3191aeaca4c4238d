-- Whether the previous release's crossings carry dimensions (releases made before the crossings cube do not).
with source as (
    select column_name from duckdb_columns()
    where database_name = 'prev' and table_name = 'crossings' and column_name = 'dimensions'
)
select count(*) > 0 as has_dimensions from source
