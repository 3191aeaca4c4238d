-- Type and validate staged exercise notices; reasons lists what is wrong (empty = loadable).
create or replace temp table _typed as
with source as (
    -- a date with an unknown day or month ([dates] unknown) reads as its first day, at month or year precision
    select *,
           bl_date_read(notified_on, $notified_on_formats::varchar[], $unknown_parts::varchar[]) as notified_on_read,
           bl_date_read(start_date, $start_date_formats::varchar[], $unknown_parts::varchar[]) as start_date_read,
           bl_date_read(end_date, $end_date_formats::varchar[], $unknown_parts::varchar[]) as end_date_read
    from _stg
),
typed as (
    select
        _rid, _line, _column, _extra_cells, _skip,
        notice_id, designation, purpose,
        upper(notifying_iso3) as notifying_iso3,
        upper(host_iso3) as host_iso3,
        list_transform(bl_list(participating_iso3), lambda x: upper(x)) as participating_list,
        participating_iso3,
        bl_list(participants_unmapped) as participants_unmapped_list,
        notified_on, start_date, end_date,
        notified_on_read.value as notified_on_date,
        start_date_read.value as start_date_date,
        end_date_read.value as end_date_date,
        notified_on_read.precision as notified_on_precision,
        start_date_read.precision as start_date_precision,
        end_date_read.precision as end_date_precision,
        troops, battle_tanks, acvs, artillery, sorties, helicopters,
        bl_number(troops, $decimal, $thousands) as troops_n,
        bl_number(battle_tanks, $decimal, $thousands) as battle_tanks_n,
        bl_number(acvs, $decimal, $thousands) as acvs_n,
        bl_number(artillery, $decimal, $thousands) as artillery_n,
        bl_number(sorties, $decimal, $thousands) as sorties_n,
        bl_number(helicopters, $decimal, $thousands) as helicopters_n,
        airborne_amphibious, observers_invited, in_annual_calendar, without_advance_notice,
        area_name,
        area_geojson,
        lat, lon,
        bl_location_withheld(lat, lon, area_geojson, $withheld) as location_withheld,
        bl_finite(try_cast(lat as double)) as lat_n,
        bl_finite(try_cast(lon as double)) as lon_n,
        lower(location_precision) as location_precision
    from source
),
checked as (
    select
        typed.*,
        -- a row [rows] skip sets aside is no record: that is its one reason
        case when _skip then ['skipped_by_profile'] else
        list_filter(list_concat([
            case when _extra_cells then 'extra_cells' end,  -- under a column the header does not name
            case when notice_id is null then 'missing_id' end,
            case when start_date is null or end_date is null then 'missing_date' end,
            bl_date_reason([notified_on, start_date, end_date], [notified_on_date, start_date_date, end_date_date],
                           $withheld, $missing),
            bl_date_order_reason_at([start_date_date], [end_date_date], [start_date_precision],
                                    [end_date_precision]),
            bl_date_range_reason([notified_on_date, start_date_date, end_date_date], $earliest, $latest),
            bl_number_range_reason([troops_n, battle_tanks_n, acvs_n, artillery_n, sorties_n, helicopters_n],
                                   bl_max_notice_count()),
            case when (bl_given(troops, $withheld, $missing) and (troops_n is null or troops_n <> floor(troops_n)))
                   or (bl_given(battle_tanks, $withheld, $missing) and (battle_tanks_n is null or battle_tanks_n <> floor(battle_tanks_n)))
                   or (bl_given(acvs, $withheld, $missing) and (acvs_n is null or acvs_n <> floor(acvs_n)))
                   or (bl_given(artillery, $withheld, $missing) and (artillery_n is null or artillery_n <> floor(artillery_n)))
                   or (bl_given(sorties, $withheld, $missing) and (sorties_n is null or sorties_n <> floor(sorties_n)))
                   or (bl_given(helicopters, $withheld, $missing) and (helicopters_n is null or helicopters_n <> floor(helicopters_n)))
                 then 'unparseable_number' end,
            case when least(troops_n, battle_tanks_n, acvs_n, artillery_n, sorties_n, helicopters_n) < 0
                 then 'negative_count' end,
            case when (bl_given(airborne_amphibious, $withheld, $missing) and bl_bool(airborne_amphibious) is null)
                   or (bl_given(observers_invited, $withheld, $missing) and bl_bool(observers_invited) is null)
                   or (bl_given(in_annual_calendar, $withheld, $missing) and bl_bool(in_annual_calendar) is null)
                   or (bl_given(without_advance_notice, $withheld, $missing) and bl_bool(without_advance_notice) is null)
                 then 'unparseable_boolean' end,
            -- a notifying state is checked when the profile maps one (a compilation may not say who notified)
            case when (notifying_iso3 is null and list_contains($mapped_fields::varchar[], 'notifying_iso3'))
                   or notifying_iso3 not in (select iso3 from countries)
                   or _rid in (select _rid from bl_unknown_listed_countries('typed', 'participating_list'))
                   or (participating_iso3 is not null and participating_list is null)
                   or host_iso3 not in (select iso3 from countries)
                 then 'unknown_country' end
        ], bl_location_reasons(lat, lon, area_geojson, location_precision, $withheld, $missing,
                               ext.min_lon, ext.min_lat, ext.max_lon, ext.max_lat)),
        lambda r: r is not null) end as reasons
    from typed
    -- coordinates are checked against the country the place is in: its host, else its own
    left join countries ext on ext.iso3 = coalesce(typed.host_iso3, typed.notifying_iso3)
)
select * from bl_flag_duplicate_keys('checked', 'notice_id')
