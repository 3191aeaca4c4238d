-- Distinct project geometries (GeoJSON when given, else the point); a two-country project prefers their border.
with source as (
    select geometry_geojson, lat, lon, countries_iso3 from infrastructure_projects
),
located as (
    select distinct
        geometry_geojson,
        lat,
        lon,
        case when len(countries_iso3) = 2 then countries_iso3[1] end as pair_a,
        case when len(countries_iso3) = 2 then countries_iso3[2] end as pair_b
    from source
    where geometry_geojson is not null or (lat is not null and lon is not null)
)
select geometry_geojson, lat, lon, pair_a, pair_b
from located
order by geometry_geojson, lat, lon, pair_a, pair_b
