-- Rows of one public table of the new release ({table} from a fixed allow-list), for release.json's row_counts:
-- a table derived from another (release_files.DERIVED_TABLES) is counted, not digested.
with source as (
    select 1 as one from pub.main."{table}"
)
select count(*)::bigint as row_count
from source
