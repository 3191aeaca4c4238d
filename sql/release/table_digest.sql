-- A digest of one public table's content, part of the release id (no timestamps): each row as JSON hashed
-- with SHA-256; the row hashes, sorted, are combined per bucket (their first two hex digits) and the bucket
-- digests, in order, into one. The same rows give the same digest in any order, and no step holds the whole
-- table as one string (a 10M-row table stays within memory).
with source as (
    select sha256(to_json(t)::varchar) as row_hash
    from pub.main."{table}" as t
),
buckets as (
    select left(row_hash, 2) as bucket, sha256(string_agg(row_hash, '' order by row_hash)) as bucket_hash,
           count(*) as rows
    from source
    group by bucket
)
select sha256(coalesce(string_agg(bucket || bucket_hash, '' order by bucket), '')) as digest,
       coalesce(sum(rows), 0)::bigint as row_count
from buckets
