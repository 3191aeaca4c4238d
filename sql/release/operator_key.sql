-- The operator key of the working database (HMAC key for the public source ids; never published).
with source as (
    select key, created_at from work.main.operator_key
)
select key
from source
order by created_at, key
limit 1
