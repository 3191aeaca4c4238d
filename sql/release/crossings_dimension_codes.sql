-- The dimensions of the crossings a table holds and each one's code list, as published (for a column per
-- dimension in the extracts and its enum in datapackage.json). _total is a publisher's own total, kept as a code.
with source as (
    select dimensions from crossings where dimensions is not null
),
entries as (
    select unnest(map_entries(dimensions)) as entry from source
),
renamed as (
    select entry.key as dimension, entry.value as code from entries
)
select dimension, list(distinct code order by code) filter (where code is not null) as codes
from renamed
group by dimension
order by dimension
