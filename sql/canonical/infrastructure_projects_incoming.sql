-- Loadable projects in the canonical shape. A withheld value stays NULL and says so in its status.
create or replace temp table _incoming as
with source as (
    select * from _typed where len(reasons) = 0
),
located as (
    select
        *,
        case when location_withheld then null
             when bl_geometry_ok(geometry_geojson) then geometry_geojson
             when lat_n is not null and lon_n is not null
                 then json_object('type', 'Point', 'coordinates', [round(lon_n, 5), round(lat_n, 5)])::varchar
        end as geometry
    from source
),
renamed as (
    select
        project_id,
        name,
        kind,
        status,
        country_iso3,
        coalesce(countries_list, [country_iso3]) as countries_iso3,
        case when bl_given(funders, $withheld, $missing) then funders_list end as funders,
        bl_status(funders, $withheld, $missing) as funders_status,
        budget_n as budget,
        bl_status(budget, $withheld, $missing) as budget_status,
        currency,
        planned_start_date as planned_start,
        planned_start_precision,
        planned_end_date as planned_end,
        planned_end_precision,
        actual_start_date as actual_start,
        actual_start_precision,
        actual_end_date as actual_end,
        actual_end_precision,
        geometry as geometry_geojson,
        json_extract_string(geometry, '$.type') as geometry_type,
        description,
        case when location_withheld then null else coalesce(lat_n, try_cast(json_extract(geometry, '$.coordinates[1]') as double)) end as lat,
        case when location_withheld then null else coalesce(lon_n, try_cast(json_extract(geometry, '$.coordinates[0]') as double)) end as lon,
        case when location_withheld then 'withheld_by_publisher'
             when geometry is null then 'missing'
             else 'reported' end as location_status,
        coalesce(location_precision, case when geometry is not null then 'exact' end) as location_precision,
        null::varchar as nearest_border_id,
        null::double as distance_to_border_km,
        host_iso3,
        null::boolean as location_outside_country,  -- geo/host_country.py, after the load
        null::double as outside_country_km,
        $source_id as source_id,
        _line as source_line
    from located
)
select * from renamed
