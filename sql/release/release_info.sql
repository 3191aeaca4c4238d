-- Key/value facts about the release: release_id, created, policy_name, policy_text.
create table pub.main.release_info as
with source as (
    select unnest($keys) as key, unnest($values) as value
)
select cast(key as varchar) as key, cast(value as varchar) as value
from source
