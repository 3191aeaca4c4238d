with source as (
    select column_name, ordinal_position
    from information_schema.columns
    where table_name = '_raw'
)
select column_name from source order by ordinal_position
