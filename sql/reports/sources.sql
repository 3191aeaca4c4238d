with source as (
    select * from sources
)
select source_id, series_id, version, dataset, publisher, licence, profile, file_name, sha256, bytes,
       ingested_at, synthetic, rows_read, rows_loaded, rows_quarantined, status
from source
order by series_id, version
