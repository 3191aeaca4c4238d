-- Map: infrastructure projects (points and lines) active in the period or with no dates; a coarsened
-- location is drawn as its cell.
with source as (
    select p.project_id, p.name, p.kind, p.status, p.country_iso3, p.geometry_geojson, p.location_cell_geojson,
           p.lat, p.lon, p.location_precision, p.location_status, p.distance_to_border_km,
           coalesce(p.actual_start, p.planned_start) as starts, coalesce(p.actual_end, p.planned_end) as ends
    from infrastructure_projects p
    left join borders b on b.border_id = p.nearest_border_id
    where ($border_a is null or (b.iso3_a = $border_a and b.iso3_b = $border_b)
           or (b.iso3_a = $border_b and b.iso3_b = $border_a))
      and ($countries is null or list_contains($countries, p.country_iso3)
           or len(list_intersect($countries, p.countries_iso3)) > 0)
),
active as (
    select * from source
    where (starts is null or starts <= $date_to) and (ends is null or ends >= $date_from)
)
select project_id, name, kind, status, country_iso3, coalesce(location_cell_geojson, geometry_geojson) as geometry,
       location_cell_geojson is not null as coarsened, lat, lon, location_precision, location_status,
       distance_to_border_km, starts, ends
from active
where location_cell_geojson is not null or geometry_geojson is not null or (lat is not null and lon is not null)
