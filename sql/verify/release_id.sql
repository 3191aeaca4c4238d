-- The release id the release database records for itself (compared with release.json by `borderlens verify`).
with source as (
    select key, value from main.release_info
)
select value as release_id
from source
where key = 'release_id'
