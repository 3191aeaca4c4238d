-- Rows of one public table ({table} from a fixed allow-list), against release.json's row_counts.
with source as (
    select 1 as one from main."{table}"
)
select count(*)::bigint as row_count
from source
