-- A digest of one public table's content, part of the release id (no timestamps): each row hashed with DuckDB's
-- hash() (64 bits, of every column's value); the row hashes, sorted, are combined with SHA-256 per bucket (the
-- hash modulo 256) and the bucket digests, in order, into one. The same rows give the same digest in any order, no
-- step holds the whole table as one string (a 10M-row table stays within memory), and nothing turns each row into
-- JSON text first (SHA-256 of every row's JSON took 30 s of a 10M publish; this takes 4).
with source as (
    select hash(t) as row_hash
    from pub.main."{table}" as t
),
buckets as (
    select
        row_hash % 256 as bucket,
        sha256(string_agg(row_hash::varchar, ',' order by row_hash)) as bucket_hash,
        count(*) as rows
    from source
    group by bucket
)
select sha256(coalesce(string_agg(bucket::varchar || ':' || bucket_hash, '' order by bucket), '')) as digest,
       coalesce(sum(rows), 0)::bigint as row_count
from buckets
