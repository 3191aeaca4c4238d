-- The source ids of the release being replaced: the feed's baseline for "new in this release".
with source as (
    select source_id from sources
)
select source_id
from source
order by source_id
