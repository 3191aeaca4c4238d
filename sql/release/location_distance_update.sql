-- A coarsened row gets the nearest border and distance of its published cell.
update "{table}" as t
set "{border}" = d.border_id,
    distance_to_border_km = d.distance_km
from (
    with source as (
        select * from _cell_distances
    ),
    renamed as (
        select
            cast(id as varchar) as geojson,
            cast(border_id as varchar) as border_id,
            cast(distance_km as double) as distance_km
        from source
    )
    select * from renamed
) as d
where t.location_cell_geojson = d.geojson
