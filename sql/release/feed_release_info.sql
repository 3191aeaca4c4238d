-- The release's own facts (release_id, created, policy_name) for the feed's id, dates and subtitle.
with source as (
    select key, value from release_info
)
select key, value
from source
order by key
