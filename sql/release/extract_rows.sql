-- The rows of one table for an extract. {filters} is built by data_pipeline.export.extracts from quoted column names
-- (checked against the table's columns) and ? placeholders: user values are always bound, never spliced.
-- {dimension_columns}: for crossings, one column per dimension (data_pipeline/export/cube_extracts.py), its key bound.
with source as (
    select * from "{table}"
),
filtered as (
    select *
    from source
    where {filters}
)
select *{dimension_columns}
from filtered
