-- Values the publisher withheld, per field and publisher, among the released rows (counts, never values).
with source as (
    select _publisher, columns('_status$')
    from "{table}"
),
long as (
    unpivot source
    on columns(* exclude (_publisher))
    into name status_column value status
),
renamed as (
    select
        regexp_replace(status_column, '_status$', '') as field,
        _publisher as publisher
    from long
    where status = 'withheld_by_publisher'
)
select field, publisher, count(*) as rows_affected
from renamed
group by field, publisher
order by field, publisher
