-- A digest of one public table's content (rows as JSON, sorted): part of the release id, no timestamps.
with source as (
    select to_json(t)::varchar as line
    from pub.main."{table}" as t
)
select sha256(coalesce(string_agg(line, chr(10) order by line), '')) as digest, count(*) as row_count
from source
