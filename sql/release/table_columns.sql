-- Columns and types of the tables of an open database (a release, or the working database), in order.
with source as (
    select table_name, column_name, data_type, ordinal_position
    from information_schema.columns
    where table_schema = 'main'
),
renamed as (
    select table_name as table_name, column_name as column_name, data_type, ordinal_position
    from source
)
select table_name, column_name, data_type
from renamed
order by table_name, ordinal_position
