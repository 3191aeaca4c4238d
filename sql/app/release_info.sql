-- release_info as key/value pairs (release_id, created, policy_name, policy_text).
with source as (
    select key, value from release_info
)
select key, value from source
