-- Type and validate staged infrastructure projects; reasons lists what is wrong (empty = loadable).
create or replace temp table _typed as
with source as (
    select * from _stg
),
typed as (
    select
        _rid, _line, _column,
        project_id, name,
        lower(kind) as kind,
        lower(replace(status, ' ', '_')) as status,
        upper(country_iso3) as country_iso3,
        list_transform(bl_list(countries_iso3), lambda x: upper(x)) as countries_list,
        countries_iso3,
        bl_list(funders) as funders_list,
        funders,
        budget,
        bl_number(budget, $decimal, $thousands) as budget_n,
        upper(currency) as currency,
        planned_start, planned_end, actual_start, actual_end,
        try_strptime(planned_start, $date_formats)::date as planned_start_date,
        try_strptime(planned_end, $date_formats)::date as planned_end_date,
        try_strptime(actual_start, $date_formats)::date as actual_start_date,
        try_strptime(actual_end, $date_formats)::date as actual_end_date,
        geometry_geojson,
        lat, lon,
        bl_marked(lat, $withheld) or bl_marked(lon, $withheld) or bl_marked(geometry_geojson, $withheld)
            as location_withheld,
        try_cast(lat as double) as lat_n,
        try_cast(lon as double) as lon_n,
        lower(location_precision) as location_precision,
        description
    from source
),
unknown_countries as (
    select _rid
    from (select _rid, unnest(countries_list) as iso3 from typed)
    where iso3 not in (select iso3 from countries)
),
checked as (
    select
        typed.*,
        list_filter([
            case when project_id is null then 'missing_id' end,
            case when kind is null or kind not in ('road', 'bridge', 'rail', 'crossing_point', 'customs', 'barrier',
                                                   'surveillance', 'demining', 'other')
                 then 'unknown_kind' end,
            case when status is null or status not in ('planned', 'under_construction', 'completed', 'suspended',
                                                       'cancelled')
                 then 'unknown_status' end,
            case when (bl_given(planned_start, $withheld, $missing) and planned_start_date is null)
                   or (bl_given(planned_end, $withheld, $missing) and planned_end_date is null)
                   or (bl_given(actual_start, $withheld, $missing) and actual_start_date is null)
                   or (bl_given(actual_end, $withheld, $missing) and actual_end_date is null)
                 then 'unparseable_date' end,
            case when planned_end_date < planned_start_date or actual_end_date < actual_start_date
                 then 'end_before_start' end,
            case when bl_given(budget, $withheld, $missing) and budget_n is null then 'unparseable_number' end,
            case when budget_n < 0 then 'negative_amount' end,
            case when bl_given(budget, $withheld, $missing) and not regexp_full_match(coalesce(currency, ''), '[A-Z]{3}')
                 then 'unknown_currency' end,
            case when country_iso3 is null or country_iso3 not in (select iso3 from countries)
                   or _rid in (select _rid from unknown_countries)
                 then 'unknown_country' end,
            case when not location_withheld and ((bl_given(lat, $withheld, $missing) and lat_n is null)
                   or (bl_given(lon, $withheld, $missing) and lon_n is null))
                 then 'unparseable_coordinate' end,
            bl_coordinate_problem(lon_n, lat_n, ext.min_lon, ext.min_lat, ext.max_lon, ext.max_lat),
            case when bl_given(geometry_geojson, $withheld, $missing) and not bl_geometry_ok(geometry_geojson)
                 then 'invalid_geometry' end,
            case when bl_given(geometry_geojson, $withheld, $missing) and bl_geometry_ok(geometry_geojson)
                      and bl_geometry_out_of_range(geometry_geojson)
                 then 'coordinates_out_of_range' end,
            case when location_precision not in ('exact', 'near', 'region') then 'unknown_location_precision' end
        ], lambda r: r is not null) as reasons
    from typed
    left join countries ext on ext.iso3 = typed.country_iso3
),
later_duplicates as (
    select _rid
    from (
        select _rid, row_number() over (partition by project_id order by _line) as key_rank
        from checked
        where len(reasons) = 0
    )
    where key_rank > 1
)
select
    c.* exclude (reasons),
    case when d._rid is not null then list_append(c.reasons, 'duplicate_key')
         else list_distinct(c.reasons) end as reasons
from checked c
left join later_duplicates d using (_rid)
