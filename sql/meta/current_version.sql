with applied as (
    select version from schema_version
)
select coalesce(max(version), 0) as version from applied
