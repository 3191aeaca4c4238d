-- Secondary suppressions per publisher, for redactions.
with source as (
    select _publisher
    from crossings
    where _rid in (select _rid from _secondary_cells)
)
select _publisher as publisher, count(*) as rows_affected
from source
group by _publisher
order by _publisher
