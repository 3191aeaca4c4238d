-- The public columns of the sources (no local paths, no ingest times).
create table pub.main.sources as
with source as (
    select * from work.main.sources
),
renamed as (
    select
        source_id, series_id, dataset, publisher, title, url, licence, profile, file_name, sha256, version,
        synthetic, rows_read, rows_loaded, rows_quarantined
    from source
)
select *
from renamed
order by source_id
