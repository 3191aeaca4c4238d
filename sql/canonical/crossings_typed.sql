-- Type and validate staged crossings. Every row keeps its line; reasons lists what is wrong (empty = loadable).
-- No full-width copy of a large file is ever stored; the work is split so that each pass computes only what it
-- needs:
--   _converted (view)  every staged row with its fields converted to types, and its key hash (no joins)
--   _valued    (view)  the same rows with the value's marks (withheld, missing) and its number
--   _checked   (view)  _valued with each row's reasons; computed each time it is read
--   _repeated  (table) key hashes that more than one row carries (usually none)
--   _typed     (table) the rows that cannot be loaded: their reasons, plus 'exact_duplicate' for the later rows
--                      of a key that loadable rows alike in every field share, or 'conflicting_duplicate' for
--                      every row of a key whose loadable rows differ (none is picked).
-- The loadable rows are those of _valued that _typed does not hold: every row with a reason is in _typed (see
-- crossings_incoming.sql).
-- The key is the cube's (issue 10): reporter, place kind and place, direction, period, measure and the row's
-- dimensions (a MAP with its keys in order, staged by data_pipeline/ingest/cube.py), so a breakdown is no duplicate.
-- A fiscal year label (FY2021 March) parses to its calendar month once bl_fiscal_start says when the year
-- starts: a month from then on belongs to the calendar year before (FY2021 October = 2020-10).
-- getvariable('bl_date_formats'|'bl_withheld'|'bl_missing'): lists from the profile; 'bl_decimal',
-- 'bl_thousands': the number format; 'bl_earliest', 'bl_latest': the plausible dates (bound by the caller: a view
-- cannot hold parameters).
create or replace temp view _converted as
with source as (
    select *, try_strptime(period, getvariable('bl_date_formats')) as period_written,
           -- an estimate: a marker after the figure, or in the profile's flag column (value_flag)
           bl_unflagged(value, getvariable('bl_estimated')::varchar[]) as value_unflagged
    from _stg
),
fiscal as (
    select
        *,
        case when getvariable('bl_fiscal_start') > 1 and month(period_written) >= getvariable('bl_fiscal_start')
             then period_written - interval 1 year
             else period_written end as period_parsed
    from source
),
converted as (
    -- Conversions of one field each, before anything joins: a column still holds its few distinct values (a
    -- dictionary) here, and a function runs once per distinct value rather than once per row.
    select
        _rid,
        _line,
        _column,
        _extra_cells,
        _skip,
        location_id,
        location_name,
        upper(region_code) as region_code,
        region_original,
        upper(country_iso3) as country_iso3,
        upper(neighbor_iso3) as neighbor_iso3,
        upper(reporter_iso3) as reporter_iso3,
        reporter_org,
        lower(direction) as direction,
        -- the first day of the period counted: a monthly figure dated 2019-03-15 or 2019-03-31 is March's
        case lower(period_granularity)
            when 'month' then date_trunc('month', period_parsed)
            when 'quarter' then date_trunc('quarter', period_parsed)
            when 'year' then date_trunc('year', period_parsed)
            else period_parsed
        end::date as period_start,
        period,
        lower(period_granularity) as period_granularity,
        measure,
        coalesce(measure_original, measure) as measure_original,
        coalesce(value_unflagged, value) as value,
        value_unflagged is not null
            or coalesce(list_contains(getvariable('bl_estimated')::varchar[], lower(trim(value_flag))), false)
            as value_estimated,
        bl_number(coalesce(value_unflagged, value), getvariable('bl_decimal'), getvariable('bl_thousands'))
            as value_parsed,
        bl_finite(try_cast(lat as double)) as lat_number,
        bl_finite(try_cast(lon as double)) as lon_number,
        lat,
        lon,
        coalesce(lower(location_precision), case when lat is not null then 'exact' end) as location_precision,
        coalesce(lower(place_kind), 'crossing_point') as place_kind,
        coalesce(period_label, period) as period_label,
        dimensions,
        _dimension_problems
    from fiscal
)
select
    *,
    hash(reporter_iso3, reporter_org, place_kind, location_id, direction, period_start, period_granularity, measure,
         dimensions)
        as key_hash
from converted;

-- The typed values of every row, without its reasons: what crossings_incoming.sql loads (the rows _typed does not
-- hold), so the load computes no reasons and joins no countries a second time.
create or replace temp view _valued as
with marked as (
    select
        *,
        list_contains(getvariable('bl_withheld'), lower(value)) as value_is_withheld,
        value is null or list_contains(getvariable('bl_missing'), lower(value)) as value_is_missing
    from _converted
)
select
    _rid, _line, _column, _extra_cells, _skip, location_id, location_name, region_code, region_original, country_iso3,
    neighbor_iso3, reporter_iso3, reporter_org, direction, period_start, period, period_granularity, measure,
    measure_original, value, value_is_withheld, value_is_missing, value_estimated,
    case when not value_is_withheld and not value_is_missing then value_parsed end as value_number,
    lat_number, lon_number, lat, lon, location_precision, place_kind, period_label, dimensions,
    _dimension_problems, key_hash
from marked;

create or replace temp view _checked as
with typed as (
    select * from _valued
),
checked as (
    select
        typed.*,
        -- a row [rows] skip sets aside is no record: that is its one reason
        case when _skip then ['skipped_by_profile'] else
        list_filter([
            case when _extra_cells then 'extra_cells' end,  -- a cell under a column the header does not name
            case when location_id is null then 'missing_location' end,
            case when period is null then 'missing_date' end,
            case when period is not null and period_start is null then 'unparseable_date' end,
            case when period_start > current_date then 'future_period' end,  -- no one has counted it yet
            -- plain comparisons, not the list macros of the other datasets: this runs on millions of rows
            case when period_start < getvariable('bl_earliest') or period_start > getvariable('bl_latest')
                 then 'date_out_of_range' end,
            case when measure is null then 'missing_measure' end,
            case when not value_is_withheld and not value_is_missing and value_number is null
                 then 'unparseable_number' end,
            case when value_number < 0 then 'negative_count' end,
            case when abs(value_number) > bl_max_crossing_value() then 'number_out_of_range' end,
            case when (lat is not null and lat_number is null) or (lon is not null and lon_number is null)
                 then 'unparseable_coordinate' end,
            case when (lat is null) <> (lon is null) then 'incomplete_coordinates' end,
            bl_coordinate_problem(lon_number, lat_number, ext.min_lon, ext.min_lat, ext.max_lon, ext.max_lat),
            -- a crossing point lies in a country; a route, area or border may have none
            case when (country_iso3 is null and place_kind = 'crossing_point')
                      or country_iso3 not in (select iso3 from countries)
                 then 'unknown_country' end,
            case when place_kind not in ('crossing_point', 'border_section', 'route', 'region', 'border', 'country')
                 then 'unknown_place_kind' end,
            case when reporter_iso3 is null and reporter_org is null then 'missing_reporter' end,
            case when neighbor_iso3 is not null and neighbor_iso3 not in (select iso3 from countries)
                 then 'unknown_neighbor_country' end,
            case when reporter_iso3 is not null and reporter_iso3 not in (select iso3 from countries)
                 then 'unknown_reporter_country' end,
            case when direction not in ('inbound', 'outbound', 'both') then 'unknown_direction' end,
            case when period_granularity not in ('day', 'month', 'quarter', 'year') then 'unknown_granularity' end
        ], lambda r: r is not null) || _dimension_problems end as reasons
    from typed
    left join countries ext on ext.iso3 = typed.country_iso3
)
select * from checked;

-- Over all rows, loadable or not: the keys alone cost far less to compute than the reasons, and _typed below
-- looks at the few rows of these keys again and ranks only the loadable ones.
create or replace temp table _repeated as
select key_hash from _converted group by key_hash having count(*) > 1;

create or replace temp table _typed as
with candidates as (
    select *
    from _checked
    where len(reasons) > 0 or key_hash in (select key_hash from _repeated)
),
ranked as (
    select
        *,
        case when len(reasons) = 0 then row_number() over same_key end as key_rank,
        -- what a loaded row would hold: alike, the repeats are exact; different, the figure is in conflict
        case when len(reasons) = 0 then hash(location_name, region_code, region_original, country_iso3, neighbor_iso3,
                                             measure_original, value_number, value_is_withheld, value_is_missing,
                                             lat_number, lon_number, location_precision) end as content
    from candidates
    window same_key as (
        partition by len(reasons) = 0, reporter_iso3, reporter_org, place_kind, location_id, direction,
                     period_start, period_granularity, measure, dimensions
        order by _line
    )
),
judged as (
    select
        *,
        case when len(reasons) = 0 then min(content) over same_key <> max(content) over same_key end as conflicting
    from ranked
    window same_key as (
        partition by len(reasons) = 0, reporter_iso3, reporter_org, place_kind, location_id, direction,
                     period_start, period_granularity, measure, dimensions
    )
)
select
    * exclude (key_hash, key_rank, content, conflicting, reasons, _dimension_problems),
    case when conflicting then list_append(reasons, 'conflicting_duplicate')
         when key_rank > 1 then list_append(reasons, 'exact_duplicate')
         else reasons end as reasons
from judged
where len(reasons) > 0 or key_rank > 1 or conflicting
