with source as (
    select synthetic from _stg
)
select coalesce(bool_or(lower(synthetic) in ('true', '1', 'yes', 'y')), false) from source
