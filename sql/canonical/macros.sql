-- Small typed-parsing helpers shared by the dataset validations (temp macros, defined per connection).
create or replace temp macro bl_marked(t, markers) as list_contains(markers, lower(t));
create or replace temp macro bl_empty(t, missing) as t is null or list_contains(missing, lower(t));
create or replace temp macro bl_number(t, dec, thou) as
    try_cast(replace(replace(replace(t, ' ', ''), thou, ''), dec, '.') as double);
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
create or replace temp macro bl_geometry_ok(t) as
    json_valid(t) and json_extract_string(t, '$.type') in
        ('Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon');
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
