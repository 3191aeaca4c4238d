-- Whether a source of this profile with exactly this many bytes was ingested before: only then can the file
-- be unchanged, so only then is it hashed before it is read (an unchanged file then skips the read).
with source as (
    select bytes, profile from sources
)
select count(*) > 0 as candidate
from source
where bytes = $bytes and profile = $profile
