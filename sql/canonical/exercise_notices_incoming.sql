-- Loadable notices in the canonical shape. A withheld value stays NULL and says so in its status.
create or replace temp table _incoming as
with source as (
    select * from _typed where len(reasons) = 0
),
renamed as (
    select
        notice_id,
        designation,
        purpose,
        notifying_iso3,
        participating_list as participating_iso3,
        participants_unmapped_list as participants_unmapped,
        notified_on_date as notified_on,
        bl_status(notified_on, $withheld, $missing) as notified_on_status,
        notified_on_precision,
        start_date_date as start_date,
        start_date_precision,
        end_date_date as end_date,
        end_date_precision,
        troops_n::bigint as troops,
        bl_status(troops, $withheld, $missing) as troops_status,
        battle_tanks_n::bigint as battle_tanks,
        bl_status(battle_tanks, $withheld, $missing) as battle_tanks_status,
        acvs_n::bigint as acvs,
        bl_status(acvs, $withheld, $missing) as acvs_status,
        artillery_n::bigint as artillery,
        bl_status(artillery, $withheld, $missing) as artillery_status,
        sorties_n::bigint as sorties,
        bl_status(sorties, $withheld, $missing) as sorties_status,
        helicopters_n::bigint as helicopters,
        bl_status(helicopters, $withheld, $missing) as helicopters_status,
        bl_bool(airborne_amphibious) as airborne_amphibious,
        bl_bool(observers_invited) as observers_invited,
        bl_status(observers_invited, $withheld, $missing) as observers_invited_status,
        bl_bool(in_annual_calendar) as in_annual_calendar,
        bl_status(in_annual_calendar, $withheld, $missing) as in_annual_calendar_status,
        bl_bool(without_advance_notice) as without_advance_notice,
        bl_status(without_advance_notice, $withheld, $missing) as without_advance_notice_status,
        area_name,
        case when location_withheld or not bl_geometry_ok(area_geojson) then null else area_geojson end
            as area_geojson,
        case when location_withheld then null else lat_n end as lat,
        case when location_withheld then null else lon_n end as lon,
        case when location_withheld then 'withheld_by_publisher'
             when lat_n is null and area_geojson is null then 'missing'
             else 'reported' end as location_status,
        coalesce(location_precision, case when lat_n is not null then 'exact' end) as location_precision,
        null::varchar as nearest_border_id,
        null::double as distance_to_border_km,
        host_iso3,
        null::boolean as location_outside_country,  -- geo/host_country.py, after the load
        null::double as outside_country_km,
        $source_id as source_id,
        _line as source_line
    from source
)
select * from renamed
