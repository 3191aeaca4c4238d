-- What a source's public id is made of: its working id, profile, file hash and whether it is declared public.
with source as (
    select source_id, profile, sha256, coalesce(public, false) as public
    from work.main.sources
)
select *
from source
order by source_id
