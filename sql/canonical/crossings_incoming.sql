-- The loadable rows of this source in the canonical shape; withheld values stay NULL with their status.
-- A view over _valued (see crossings_typed.sql): the rows _typed does not hold (a row is _rid and, for a wide
-- layout, the _column of its cell). _typed holds every row with a reason and every later or conflicting duplicate,
-- so what is left is exactly the rows without reasons that are no such duplicate, and their reasons need not be
-- computed again here. getvariable('bl_source_id') is bound by the caller.
create or replace temp view _incoming as
with source as (
    select * from _valued c
    where not exists (select 1 from _typed t where t._rid = c._rid and t._column is not distinct from c._column)
),
renamed as (
    select
        location_id,
        location_name,
        region_code,
        region_original,
        country_iso3,
        neighbor_iso3,
        reporter_iso3,
        reporter_org,
        direction,
        period_start,
        period_granularity,
        measure,
        measure_original,
        value_number as value,
        case
            when value_is_withheld then 'withheld_by_publisher'
            when value_is_missing then 'missing'
            when value_estimated then 'estimated'   -- [markers] estimated
            else 'reported'
        end as value_status,
        lat_number as lat,
        lon_number as lon,
        location_precision,
        place_kind,
        dimensions,
        period_label,
        null::varchar as border_id,
        null::double as distance_to_border_km,
        getvariable('bl_source_id') as source_id,
        _line as source_line
    from source
)
select * from renamed
