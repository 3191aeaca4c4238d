-- Map: infrastructure projects (points and lines) active in the period or with no dates; a coarsened
-- location is drawn as its cell.
with source as (
    select project_id, name, kind, status, country_iso3, geometry_geojson, location_cell_geojson, lat, lon,
           location_precision, location_status, distance_to_border_km, starts, ends
    from macros.filtered_projects($date_from, $date_to, $border_a, $border_b, $countries, null, null)
)
select project_id, name, kind, status, country_iso3, coalesce(location_cell_geojson, geometry_geojson) as geometry,
       location_cell_geojson is not null as coarsened, lat, lon, location_precision, location_status,
       distance_to_border_km, starts, ends
from source
where location_cell_geojson is not null or geometry_geojson is not null or (lat is not null and lon is not null)
