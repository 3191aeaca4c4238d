-- The loadable rows of this source in the canonical shape; withheld values stay NULL with their status.
create or replace temp table _incoming as
with source as (
    select * from _typed where len(reasons) = 0
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
            else 'reported'
        end as value_status,
        lat_number as lat,
        lon_number as lon,
        location_precision,
        null::varchar as border_id,
        null::double as distance_to_border_km,
        $source_id as source_id,
        _line as source_line
    from source
)
select * from renamed
