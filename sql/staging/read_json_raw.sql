-- A JSON document's records, numbered from 1, each kept as JSON text beside the whole document.
create temp table _raw as
with source as (
    select json as doc
    from read_json_objects($1, format = 'unstructured', maximum_object_size = 1073741824)
),
records as (
    select doc, json_extract(doc, $2) as recs from source
)
select
    unnest(range(1, len(recs) + 1)) as idx,
    unnest(recs)::varchar as rec,
    doc
from records
