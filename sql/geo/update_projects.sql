-- Write nearest border and distance back to every project whose geometry or point was measured.
update infrastructure_projects
set nearest_border_id = results.border_id,
    distance_to_border_km = results.distance_km
from (
    with source as (
        select
            unnest($geometry_geojson::varchar[]) as geometry_geojson,
            unnest($lat::double[]) as lat,
            unnest($lon::double[]) as lon,
            unnest($pair_a::varchar[]) as pair_a,
            unnest($pair_b::varchar[]) as pair_b,
            unnest($border_id::varchar[]) as border_id,
            unnest($distance_km::double[]) as distance_km
    ),
    renamed as (
        select
            cast(geometry_geojson as varchar) as geometry_geojson,
            cast(lat as double) as lat,
            cast(lon as double) as lon,
            cast(pair_a as varchar) as pair_a,
            cast(pair_b as varchar) as pair_b,
            cast(border_id as varchar) as border_id,
            cast(distance_km as double) as distance_km
        from source
    )
    select * from renamed
) as results
where infrastructure_projects.geometry_geojson is not distinct from results.geometry_geojson
  and infrastructure_projects.lat is not distinct from results.lat
  and infrastructure_projects.lon is not distinct from results.lon
  and (case when len(infrastructure_projects.countries_iso3) = 2
            then infrastructure_projects.countries_iso3[1] end) is not distinct from results.pair_a
  and (case when len(infrastructure_projects.countries_iso3) = 2
            then infrastructure_projects.countries_iso3[2] end) is not distinct from results.pair_b
  -- only rows whose values change: a later ingest of a small file does not rewrite every row
  and (infrastructure_projects.nearest_border_id is distinct from results.border_id
       or infrastructure_projects.distance_to_border_km is distinct from results.distance_km)
