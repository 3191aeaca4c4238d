-- The operator key, created on first use (once per working database; an existing key is never replaced).
insert into operator_key (key)
with source as (
    select $key as key
)
select key
from source
where not exists (select 1 from operator_key)
