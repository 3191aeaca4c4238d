-- Cell formats of the extract files, applied by DuckDB's own CSV and JSON writers (data_pipeline/export/exports.py).
-- CSV: a text cell that a spreadsheet could run as a formula (starts with = + - @, tab or carriage return)
-- gets one leading apostrophe (OWASP CSV injection); an empty text is written as an empty field, like NULL;
-- a list is its items joined with ';'; a whole double is written without '.0'; NaN is empty.
-- (strpos, not `left(x, 1) in (...)`: with the IN list, DuckDB's parallel writer wrote the rows of a 10M-row table
-- out of the table's order, so two publishes of the same data gave different files)
create or replace temp macro bl_csv_text(x) as
    case when x <> '' and strpos('=+-@' || chr(9) || chr(13), left(x, 1)) > 0 then '''' || x
         else nullif(x, '') end;

create or replace temp macro bl_csv_list(x) as
    bl_csv_text(array_to_string(list_transform(x, lambda v: coalesce(cast(v as varchar), '')), ';'));

create or replace temp macro bl_csv_double(x) as
    case when isnan(x) then null
         when x = trunc(x) and abs(x) < 1e15 then cast(cast(x as hugeint) as varchar)
         else cast(x as varchar) end;

-- GeoJSON: NaN is not JSON, so it becomes null; a geometry is the published GeoJSON text, else the point
-- (lon, lat) to 5 decimals (about 1 m), else null.
create or replace temp macro bl_json_double(x) as
    case when isnan(x) then null else x end;

create or replace temp macro bl_json_point(lon, lat) as
    case when lon is not null and lat is not null
         then json_object('type', 'Point', 'coordinates', [round(lon, 5), round(lat, 5)]) end;
