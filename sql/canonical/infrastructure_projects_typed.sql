-- Type and validate staged infrastructure projects; reasons lists what is wrong (empty = loadable).
create or replace temp table _typed as
with source as (
    -- a date with an unknown day or month ([dates] unknown) reads as its first day, at month or year precision
    select *,
           bl_date_read(planned_start, $planned_start_formats::varchar[], $unknown_parts::varchar[]) as planned_start_read,
           bl_date_read(planned_end, $planned_end_formats::varchar[], $unknown_parts::varchar[]) as planned_end_read,
           bl_date_read(actual_start, $actual_start_formats::varchar[], $unknown_parts::varchar[]) as actual_start_read,
           bl_date_read(actual_end, $actual_end_formats::varchar[], $unknown_parts::varchar[]) as actual_end_read
    from _stg
),
typed as (
    select
        _rid, _line, _column, _extra_cells, _skip,
        project_id, name,
        lower(kind) as kind,
        lower(replace(status, ' ', '_')) as status,
        upper(country_iso3) as country_iso3,
        upper(host_iso3) as host_iso3,
        list_transform(bl_list(countries_iso3), lambda x: upper(x)) as countries_list,
        countries_iso3,
        bl_text_list(funders) as funders_list,
        funders,
        funders_as_published,
        budget,
        bl_number(budget, $decimal, $thousands) as budget_n,
        upper(currency) as currency,
        planned_start, planned_end, actual_start, actual_end,
        planned_start_read.value as planned_start_date,
        planned_end_read.value as planned_end_date,
        actual_start_read.value as actual_start_date,
        actual_end_read.value as actual_end_date,
        planned_start_read.precision as planned_start_precision,
        planned_end_read.precision as planned_end_precision,
        actual_start_read.precision as actual_start_precision,
        actual_end_read.precision as actual_end_precision,
        geometry_geojson,
        lat, lon,
        bl_location_withheld(lat, lon, geometry_geojson, $withheld) as location_withheld,
        bl_finite(try_cast(lat as double)) as lat_n,
        bl_finite(try_cast(lon as double)) as lon_n,
        lower(location_precision) as location_precision,
        description
    from source
),
checked as (
    select
        typed.*,
        -- a row [rows] skip sets aside is no record: that is its one reason
        case when _skip then ['skipped_by_profile'] else
        list_filter(list_concat([
            case when _extra_cells then 'extra_cells' end,  -- under a column the header does not name
            case when project_id is null then 'missing_id' end,
            case when kind is null or kind not in ('road', 'bridge', 'rail', 'crossing_point', 'customs', 'barrier',
                                                   'surveillance', 'demining', 'other')
                 then 'unknown_kind' end,
            case when status is null or status not in ('planned', 'under_construction', 'completed', 'suspended',
                                                       'cancelled')
                 then 'unknown_status' end,
            bl_date_reason([planned_start, planned_end, actual_start, actual_end],
                           [planned_start_date, planned_end_date, actual_start_date, actual_end_date],
                           $withheld, $missing),
            -- each pair compared at the coarser precision of its two dates ('1980-01-xx' is not after 15 Jan 1980)
            bl_date_order_reason_at([planned_start_date, actual_start_date], [planned_end_date, actual_end_date],
                                    [planned_start_precision, actual_start_precision],
                                    [planned_end_precision, actual_end_precision]),
            bl_date_range_reason([planned_start_date, planned_end_date, actual_start_date, actual_end_date],
                                 $earliest, $latest),
            case when bl_given(budget, $withheld, $missing) and budget_n is null then 'unparseable_number' end,
            case when budget_n < 0 then 'negative_amount' end,
            bl_number_range_reason([budget_n], bl_max_budget()),
            case when bl_given(budget, $withheld, $missing) and not regexp_full_match(coalesce(currency, ''), '[A-Z]{3}')
                 then 'unknown_currency' end,
            case when country_iso3 is null or country_iso3 not in (select iso3 from countries)
                   or _rid in (select _rid from bl_unknown_listed_countries('typed', 'countries_list'))
                   or host_iso3 not in (select iso3 from countries)
                 then 'unknown_country' end
        ], bl_location_reasons(lat, lon, geometry_geojson, location_precision, $withheld, $missing,
                               ext.min_lon, ext.min_lat, ext.max_lon, ext.max_lat)),
        lambda r: r is not null) end as reasons
    from typed
    -- coordinates are checked against the country the place is in: its host, else its own
    left join countries ext on ext.iso3 = coalesce(typed.host_iso3, typed.country_iso3)
)
select * from bl_flag_duplicate_keys('checked', 'project_id')
