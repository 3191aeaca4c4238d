with source as (
    select source_id, rows_read, rows_loaded, rows_quarantined, ingested_at
    from sources
    where sha256 = ? and profile = ?
)
select source_id, rows_read, rows_loaded, rows_quarantined from source order by ingested_at limit 1
