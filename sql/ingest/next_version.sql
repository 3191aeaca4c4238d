with source as (
    select version from sources where series_id = ?
)
select coalesce(max(version), 0) + 1 from source
