-- The sources of a release, for feed.atom (data_pipeline.publish.feed keeps those not in the release it replaces).
with source as (
    select
        source_id, series_id, dataset, publisher, title, url, licence, file_name, sha256, version, synthetic,
        rows_read, rows_loaded, rows_quarantined
    from sources
)
select *
from source
order by dataset, series_id, version, source_id
