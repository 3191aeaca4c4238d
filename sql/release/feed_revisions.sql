-- Revisions brought by the sources new in a release, for feed.atom: one batch per (dataset, new source),
-- its first $limit rows in key order and its size. Reads the release's public revisions table only.
with source as (
    select *
    from revisions
    where list_contains($sources, new_source_id)
),
numbered as (
    select
        *,
        row_number() over (partition by dataset, new_source_id order by record_key, field, old_version) as n,
        count(*) over (partition by dataset, new_source_id) as batch_rows
    from source
)
select
    dataset, new_source_id, new_version, record_key, field, old_value, new_value, old_status, new_status,
    old_version, batch_rows
from numbered
where n <= $limit
order by dataset, new_source_id, n
