-- Type and validate staged crossings. Every row keeps its line; reasons lists what is wrong (empty = loadable).
-- $date_formats, $withheld, $missing: lists from the profile; $decimal, $thousands: the number format.
create or replace temp table _typed as
with source as (
    select * from _stg
),
marked as (
    select
        *,
        list_contains($withheld, lower(value)) as value_is_withheld,
        value is null or list_contains($missing, lower(value)) as value_is_missing
    from source
),
typed as (
    select
        _rid,
        _line,
        _column,
        location_id,
        location_name,
        upper(region_code) as region_code,
        region_original,
        upper(country_iso3) as country_iso3,
        upper(neighbor_iso3) as neighbor_iso3,
        upper(reporter_iso3) as reporter_iso3,
        reporter_org,
        lower(direction) as direction,
        try_strptime(period, $date_formats)::date as period_start,
        period,
        lower(period_granularity) as period_granularity,
        measure,
        coalesce(measure_original, measure) as measure_original,
        value,
        value_is_withheld,
        value_is_missing,
        case when not value_is_withheld and not value_is_missing
             then try_cast(replace(replace(replace(value, ' ', ''), $thousands, ''), $decimal, '.') as double)
        end as value_number,
        try_cast(lat as double) as lat_number,
        try_cast(lon as double) as lon_number,
        lat,
        lon,
        coalesce(lower(location_precision), case when lat is not null then 'exact' end) as location_precision
    from marked
),
checked as (
    select
        typed.*,
        list_filter([
            case when location_id is null then 'missing_location' end,
            case when period is null then 'missing_date' end,
            case when period is not null and period_start is null then 'unparseable_date' end,
            case when measure is null then 'missing_measure' end,
            case when not value_is_withheld and not value_is_missing and value_number is null
                 then 'unparseable_number' end,
            case when value_number < 0 then 'negative_count' end,
            case when (lat is not null and lat_number is null) or (lon is not null and lon_number is null)
                 then 'unparseable_coordinate' end,
            case when (lat is null) <> (lon is null) then 'incomplete_coordinates' end,
            bl_coordinate_problem(lon_number, lat_number, ext.min_lon, ext.min_lat, ext.max_lon, ext.max_lat),
            case when country_iso3 is null or country_iso3 not in (select iso3 from countries)
                 then 'unknown_country' end,
            case when neighbor_iso3 is not null and neighbor_iso3 not in (select iso3 from countries)
                 then 'unknown_neighbor_country' end,
            case when reporter_iso3 is not null and reporter_iso3 not in (select iso3 from countries)
                 then 'unknown_reporter_country' end,
            case when direction not in ('inbound', 'outbound', 'both') then 'unknown_direction' end,
            case when period_granularity not in ('day', 'month', 'quarter', 'year') then 'unknown_granularity' end
        ], lambda r: r is not null) as reasons
    from typed
    left join countries ext on ext.iso3 = typed.country_iso3
),
keyed as (
    select
        *,
        hash(reporter_iso3, reporter_org, location_id, direction, period_start, period_granularity, measure)
            as key_hash
    from checked
    where len(reasons) = 0
),
repeated_keys as (
    select key_hash from keyed group by key_hash having count(*) > 1
),
later_duplicates as (
    select _rid
    from (
        select
            _rid,
            row_number() over (
                partition by reporter_iso3, reporter_org, location_id, direction, period_start,
                             period_granularity, measure
                order by _line
            ) as key_rank
        from keyed
        where key_hash in (select key_hash from repeated_keys)
    )
    where key_rank > 1
)
select
    c.* exclude (reasons),
    case when d._rid is not null then list_append(c.reasons, 'duplicate_key') else c.reasons end as reasons
from checked c
left join later_duplicates d using (_rid)
