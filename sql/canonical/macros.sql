-- Small typed-parsing helpers shared by the dataset validations (temp macros, defined per connection).
create or replace temp macro bl_finite(x) as case when isfinite(x) then x end;
create or replace temp macro bl_marked(t, markers) as list_contains(markers, lower(t));
create or replace temp macro bl_empty(t, missing) as t is null or list_contains(missing, lower(t));
-- A number as published: spaces and the thousands separator dropped, the decimal mark made '.'. NULL (so
-- 'unparseable_number') for what DuckDB's cast would take but a count is not: NaN, infinity, 1e400 (not finite),
-- 1_000, and a thousands separator out of place (1,2,3 is not 123; 1.234,5 is not 1.2345 where '.' is the mark).
create or replace temp macro bl_number(t, dec, thou) as
    case when contains(t, '_') then null
         when thou not in ('', ' ') and contains(t, thou)
              and not regexp_full_match(replace(t, ' ', ''), '[+-]?[0-9]{1,3}(' || regexp_escape(thou) || '[0-9]{3})+('
                                        || regexp_escape(dec) || '[0-9]*)?')
         then null
         else bl_finite(try_cast(replace(replace(replace(t, ' ', ''), thou, ''), dec, '.') as double)) end;
-- The largest magnitude a number of each kind may have; beyond it a figure is absurd (1e308, 99999999999999999999),
-- does not fit its column (a count is a BIGINT) or would print as 'inf' once summed: 'number_out_of_range'.
create or replace temp macro bl_max_notice_count() as 10000000;      -- troops, tanks, ... of one exercise: 10 million
create or replace temp macro bl_max_crossing_value() as 1e12;        -- one crossings figure: a million millions
create or replace temp macro bl_max_budget() as 1e18;                -- a budget, in any currency
create or replace temp macro bl_number_range_reason(numbers, maximum) as
    case when list_bool_or(list_transform(numbers, lambda checked_number: abs(checked_number) > maximum))
         then 'number_out_of_range' end;
-- A figure the publisher marks as an estimate at its end ('1234 e', '1234e'; [markers] estimated): the figure
-- without the marker, or NULL when it carries none (no markers: always NULL).
create or replace temp macro bl_estimate_pattern(markers) as
    '(?i)^(.*?)\s*(' || array_to_string(list_transform(markers, lambda m: regexp_escape(m)), '|') || ')$';
create or replace temp macro bl_unflagged(t, markers) as
    case when len(markers) > 0 and regexp_full_match(t, bl_estimate_pattern(markers))
         then nullif(regexp_extract(t, bl_estimate_pattern(markers), 1), '') end;
create or replace temp macro bl_status(t, withheld, missing) as
    case when bl_marked(t, withheld) then 'withheld_by_publisher'
         when bl_empty(t, missing) then 'missing'
         else 'reported' end;
create or replace temp macro bl_given(t, withheld, missing) as not bl_marked(t, withheld) and not bl_empty(t, missing);
create or replace temp macro bl_bool(t) as
    case when lower(t) in ('true', 'yes', 'y', '1', 'x') then true
         when lower(t) in ('false', 'no', 'n', '0') then false end;
create or replace temp macro bl_list(t) as
    case when t is null then null
         when t like '[%' then list_transform(try(from_json(t, '["VARCHAR"]')), lambda x: trim(x))
         else list_filter(list_transform(string_split(t, ';'), lambda x: trim(x)), lambda x: x <> '') end;
-- A list of free text (funders): a JSON array of strings is kept exactly as written (null items dropped); any other
-- text is split at ';', each item trimmed of spaces and empty items dropped (docs/profiles.md). Text that starts with
-- '[' but is not a JSON array is such a list too, not lost: '[Draft] Agency' is one funder.
create or replace temp macro bl_text_list(t) as
    case when t is null then null
         when t like '[%' and try(from_json(t, '["VARCHAR"]')) is not null
         then list_filter(try(from_json(t, '["VARCHAR"]')), lambda x: x is not null)
         else list_filter(list_transform(string_split(t, ';'), lambda x: trim(x)), lambda x: x <> '') end;
-- The items of such a list as written, before any is trimmed or dropped: what bl_text_list is compared with.
create or replace temp macro bl_text_list_as_written(t) as
    case when t is null then null
         when t like '[%' and try(from_json(t, '["VARCHAR"]')) is not null then try(from_json(t, '["VARCHAR"]'))
         else string_split(t, ';') end;
-- CASE, not AND: DuckDB evaluates both sides of an AND, and json_extract_string fails on text that is not JSON.
-- Coordinates must be there and be numbers: [] or "NaN" in them is not a geometry.
create or replace temp macro bl_geometry_ok(t) as
    case when json_valid(t) then json_extract_string(t, '$.type') in
        ('Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon')
        and coalesce(json_array_length(json_extract(t, '$.coordinates')), 0) > 0
        and not contains(json_extract(t, '$.coordinates')::varchar, '"') else false end;
create or replace temp macro bl_in_extent(lon, lat, min_lon, min_lat, max_lon, max_lat) as
    lat between min_lat - 1 and max_lat + 1 and lon between min_lon - 1 and max_lon + 1;
-- Swapped: outside its country as given, inside once exchanged. Out of range: beyond +-90 / +-180 otherwise.
create or replace temp macro bl_coordinate_problem(lon, lat, min_lon, min_lat, max_lon, max_lat) as
    case when lat is null or lon is null then null
         when min_lon is not null and not bl_in_extent(lon, lat, min_lon, min_lat, max_lon, max_lat)
              and bl_in_extent(lat, lon, min_lon, min_lat, max_lon, max_lat) then 'coordinates_swapped'
         when abs(lat) > 90 or abs(lon) > 180 then 'coordinates_out_of_range' end;
-- Any position of a GeoJSON geometry beyond +-180 longitude or +-90 latitude.
create or replace temp macro bl_geometry_out_of_range(t) as
    coalesce(
        list_bool_or(list_transform(
            regexp_extract_all(json_extract(t, '$.coordinates')::varchar,
                               '\[\s*(-?[0-9.eE+]+)\s*,\s*(-?[0-9.eE+-]+)', 1),
            lambda x: abs(try_cast(x as double)) > 180))
        or list_bool_or(list_transform(
            regexp_extract_all(json_extract(t, '$.coordinates')::varchar,
                               '\[\s*(-?[0-9.eE+]+)\s*,\s*(-?[0-9.eE+-]+)', 2),
            lambda x: abs(try_cast(x as double)) > 90)),
        false);

-- Coordinate n (1 longitude, 2 latitude) of a GeoJSON geometry's first position: is the shape swapped?
create or replace temp macro bl_geometry_first(t, n) as
    try_cast(regexp_extract(json_extract(t, '$.coordinates')::varchar,
                            '\[\s*(-?[0-9.eE+-]+)\s*,\s*(-?[0-9.eE+-]+)', n) as double);

-- Checks the datasets keyed by one id (exercise notices, infrastructure projects) share. A *_reason macro returns
-- its reason or NULL; bl_location_reasons a list of reasons in a fixed order, NULL for each check passed (the caller
-- concatenates it to its own list and filters the NULLs out). A macro parameter stands for any column of its name in
-- the body, so parameters are named apart from the columns the bodies read. The table macros take the names of a
-- table or CTE and of its columns as string constants, written in the calling dataset's own SQL file.
create or replace temp macro bl_date(t, formats) as try_strptime(t, formats)::date;
-- Partial dates (issue 11, point 2): a date whose day or month the publisher does not know, written with a marker
-- of the profile's [dates] unknown list in that part ('1980-01-xx', '11/xx/1974', '1980-01--9'). A marker counts
-- only as a whole part, between separators, compared case-insensitively. The text with each such part filled:
create or replace temp macro bl_date_filled(t, unknown, fill) as
    list_reduce(list_prepend(t, unknown), lambda filled_text, marker:
        regexp_replace(regexp_replace(filled_text, '(?i)(^|[^0-9a-z])' || regexp_escape(marker) || '($|[^0-9a-z])',
                                      '\1' || fill || '\2', 'g'),
                       '(?i)(^|[^0-9a-z])' || regexp_escape(marker) || '($|[^0-9a-z])', '\1' || fill || '\2', 'g'));
-- Which part was unknown is read off two fillings, with 01 and with 02, parsed by the same formats (so any format
-- the profile lists, whatever the order of its parts): the month differs, the month (and so the day) is unknown:
-- precision year, the date is 1 January; only the day differs: precision month, the date is the 1st. A filled
-- year (two dates of different years) is no date at all. bl_date_read returns {value, precision} or NULL.
create or replace temp macro bl_partial_date(first_fill, second_fill) as
    case when first_fill is null or second_fill is null or year(first_fill) <> year(second_fill) then null
         when month(first_fill) <> month(second_fill)
         then {'value': date_trunc('year', first_fill)::date, 'precision': 'year'}
         when day(first_fill) <> day(second_fill)
         then {'value': date_trunc('month', first_fill)::date, 'precision': 'month'} end;
create or replace temp macro bl_date_read(t, formats, unknown) as
    case when bl_date(t, formats) is not null then {'value': bl_date(t, formats), 'precision': 'day'}
         when t is not null and len(unknown) > 0
         then bl_partial_date(bl_date(bl_date_filled(t, unknown, '01'), formats),
                              bl_date(bl_date_filled(t, unknown, '02'), formats)) end;
-- The coarser of two precisions (day < month < year), and a date cut to a precision.
create or replace temp macro bl_coarser(first_precision, second_precision) as
    case when 'year' in (first_precision, second_precision) then 'year'
         when 'month' in (first_precision, second_precision) then 'month' else 'day' end;
-- texts: the dates as published; dates: the same parsed by bl_date (NULL where none of the formats fits).
create or replace temp macro bl_date_reason(texts, dates, withheld, missing) as
    case when list_bool_or(list_transform(texts, lambda date_text, n:
                  bl_given(date_text, withheld, missing) and dates[n] is null))
         then 'unparseable_date' end;
-- A date outside the plausible window of its dataset (earliest, latest: datasets.py, widened by a profile's [dates]):
-- 'Jan 0000' or year 1200 is a typo, and would fail every page that turns it into a Python date.
create or replace temp macro bl_date_range_reason(dates, earliest, latest) as
    case when list_bool_or(list_transform(dates, lambda checked_date: checked_date < earliest or checked_date > latest))
         then 'date_out_of_range' end;
-- starts[n] and ends[n] bound one period (planned, actual...); a period with a date missing is not checked. Each
-- pair is compared at the coarser of its two precisions (start_precisions[n], end_precisions[n]; NULL is day), so an
-- end in 'January 1980' is not before a start on 15 January 1980.
create or replace temp macro bl_date_order_reason_at(starts, ends, start_precisions, end_precisions) as
    case when list_bool_or(list_transform(ends, lambda period_end, n:
                  date_trunc(bl_coarser(coalesce(start_precisions[n], 'day'), coalesce(end_precisions[n], 'day')),
                             period_end)
                  < date_trunc(bl_coarser(coalesce(start_precisions[n], 'day'), coalesce(end_precisions[n], 'day')),
                               starts[n])))
         then 'end_before_start' end;
-- A location the publisher withheld: either coordinate or the geometry carries a withheld marker. Never NULL (a
-- missing geometry must not make "not withheld" unknown and so skip the coordinate checks).
create or replace temp macro bl_location_withheld(lat, lon, geometry, withheld) as
    coalesce(bl_marked(lat, withheld), false) or coalesce(bl_marked(lon, withheld), false)
    or coalesce(bl_marked(geometry, withheld), false);
-- The coordinates and the GeoJSON geometry of a record as published (text) and its location precision (lower case),
-- against the extent of its country: [unparseable_coordinate, coordinates_swapped or coordinates_out_of_range,
-- invalid_geometry, coordinates_out_of_range (a position of the geometry) or coordinates_swapped (its first
-- position), unknown_location_precision].
create or replace temp macro bl_location_reasons(lat, lon, geometry, location_precision, withheld, missing,
                                                 min_lon, min_lat, max_lon, max_lat) as [
    case when not bl_location_withheld(lat, lon, geometry, withheld)
              and ((bl_given(lat, withheld, missing) and bl_finite(try_cast(lat as double)) is null)
                   or (bl_given(lon, withheld, missing) and bl_finite(try_cast(lon as double)) is null))
         then 'unparseable_coordinate' end,
    bl_coordinate_problem(try_cast(lon as double), try_cast(lat as double), min_lon, min_lat, max_lon, max_lat),
    case when bl_given(geometry, withheld, missing) and not bl_geometry_ok(geometry) then 'invalid_geometry' end,
    case when bl_given(geometry, withheld, missing) and bl_geometry_ok(geometry)
         then case when bl_geometry_out_of_range(geometry) then 'coordinates_out_of_range'
                   when bl_coordinate_problem(bl_geometry_first(geometry, 1), bl_geometry_first(geometry, 2),
                                              min_lon, min_lat, max_lon, max_lat) = 'coordinates_swapped'
                   then 'coordinates_swapped' end end,
    case when location_precision not in ('exact', 'near', 'region') then 'unknown_location_precision' end
];
-- The _rid of the rows of rows_name whose list of country codes (column list_field) holds a code not in countries.
create or replace temp macro bl_unknown_listed_countries(rows_name, list_field) as table
select _rid
from (select _rid, unnest(struct_extract(r, list_field)) as iso3 from query_table(rows_name) r)
where iso3 not in (select iso3 from countries);
-- The checked rows of rows_name (columns _rid, _line, reasons and the key key_field). Loadable rows that share a key:
-- alike in every field, the first (by line) loads and each later one gets 'exact_duplicate' (nothing is lost); if any
-- two differ, every one of them gets 'conflicting_duplicate': which is right is unknown until the publisher says, so
-- none is picked.
create or replace temp macro bl_flag_duplicate_keys(rows_name, key_field) as table
with loadable as (
    select
        _rid,
        _line,
        struct_extract(r, key_field) as duplicate_key,
        hash(*columns(* exclude (_rid, _line, _column, reasons))) as content
    from query_table(rows_name) r
    where len(reasons) = 0
),
judged as (
    select
        _rid,
        row_number() over (partition by duplicate_key order by _line) as key_rank,
        min(content) over (partition by duplicate_key) <> max(content) over (partition by duplicate_key)
            as conflicting
    from loadable
),
duplicates as (
    select _rid, case when conflicting then 'conflicting_duplicate' else 'exact_duplicate' end as duplicate_reason
    from judged
    where conflicting or key_rank > 1
)
select
    c.* exclude (reasons),
    case when d._rid is not null then list_append(c.reasons, d.duplicate_reason)
         else list_distinct(c.reasons) end as reasons
from query_table(rows_name) c
left join duplicates d using (_rid);
-- Fields a newer version of a series changes, old beside new, as rows of revisions: the rows of the canonical table
-- dataset_table from the same series that share their key_field with a row of incoming_name, field by field.
-- Rows become JSON objects so that every field compares as text the same way on both sides.
create or replace temp macro bl_field_revisions(dataset_table, incoming_name, key_field, series, new_source_id,
                                                new_version) as table
with current as (
    -- derived after the load (geo): not the publisher's to revise
    select t.* exclude (nearest_border_id, distance_to_border_km, location_outside_country, outside_country_km,
                        source_line), s.version
    from query_table(dataset_table) t
    join sources s using (source_id)
    where s.series_id = series
      and struct_extract(t, key_field) in (select struct_extract(i, key_field) from query_table(incoming_name) i)
),
old_long as (
    select c.record_key, c.source_id, c.version, field, c.j ->> field as old_value
    from (select struct_extract(current, key_field) as record_key, source_id, version, to_json(current) as j
          from current) c,
         unnest(json_keys(c.j)) as keys(field)
    where field not in (key_field, 'source_id', 'version')
),
new_long as (
    select i.record_key, field, i.j ->> field as new_value
    from (select struct_extract(inc, key_field) as record_key, to_json(inc) as j
          from query_table(incoming_name) inc) i,
         unnest(json_keys(i.j)) as keys(field)
    where field not in (key_field, 'source_id', 'nearest_border_id', 'distance_to_border_km',
                        'location_outside_country', 'outside_country_km', 'source_line')
)
select
    dataset_table, o.record_key, o.field, o.old_value, n.new_value, null, null,
    o.source_id, new_source_id, o.version, new_version, now()::timestamp
from old_long o
join new_long n using (record_key, field)
where o.old_value is distinct from n.new_value;
-- One number for a crossings series as an incoming row names it (its place's columns and the series' own), so
-- that crossings_insert.sql joins 10M facts to their series on one column; equal columns (NULLs alike) give equal
-- numbers, and crossings_insert checks that no two series share one before relying on it.
create or replace temp macro bl_crossing_series_hash(location_id, location_name, region_code, region_original,
        place_kind, country_iso3, neighbor_iso3, lat, lon, location_precision, reporter_iso3, reporter_org,
        direction, measure, measure_original, dimensions) as
    hash(location_id, location_name, region_code, region_original, place_kind, country_iso3, neighbor_iso3, lat,
         lon, location_precision, reporter_iso3, reporter_org, direction, measure, measure_original, dimensions);
