-- The public columns of the sources (no local paths, no ingest times, no file sizes). The id is the public
-- one, and the file's hash is there only for an input declared public (_source_ids): a hash of a file that
-- held a protected value would let anyone confirm a guess of that value.
create table pub.main.sources as
with source as (
    select * from work.main.sources
),
ids as (
    select source_id, public_id, sha256, public, line_numbers from _source_ids
),
renamed as (
    select
        ids.public_id as source_id, s.series_id, s.dataset, s.publisher, s.title, s.url, s.licence, s.profile,
        s.file_name, ids.sha256, ids.public, ids.line_numbers, s.version, s.synthetic, s.rows_read, s.rows_loaded,
        s.rows_quarantined
    from source as s
    join ids on ids.source_id = s.source_id
)
select *
from renamed
order by source_id
