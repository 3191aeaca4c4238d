-- The sources in the release: who published what, under which licence, and whether it is synthetic.
with source as (
    select source_id, series_id, dataset, publisher, title, url, licence, profile, file_name, sha256, version,
           synthetic, rows_read, rows_loaded, rows_quarantined
    from sources
)
select * from source order by dataset, publisher, file_name, version
