-- Cells kept suppressed because the previous release suppressed them, per publisher, for redactions.
with source as (
    select _publisher from _carried_cells
)
select _publisher as publisher, count(*) as rows_affected
from source
group by _publisher
order by _publisher
