-- Border lines prepared in geopandas, handed over as the registered frame geo_borders_input.
insert into borders (border_id, iso3_a, iso3_b, name, kind, featurecla, length_km, geometry_geojson, source)
with source as (
    select * from geo_borders_input
),
renamed as (
    select
        cast(border_id as varchar) as border_id,
        cast(iso3_a as varchar) as iso3_a,
        cast(iso3_b as varchar) as iso3_b,
        cast(name as varchar) as name,
        cast(kind as varchar) as kind,
        cast(featurecla as varchar) as featurecla,
        cast(length_km as double) as length_km,
        cast(geometry_geojson as varchar) as geometry_geojson,
        cast(source as varchar) as source
    from source
)
select border_id, iso3_a, iso3_b, name, kind, featurecla, length_km, geometry_geojson, source
from renamed
order by border_id
