-- The cells coarsened rows stand for, to measure their distance to the nearest border.
with source as (
    select location_cell_geojson
    from "{table}"
    where location_cell_geojson is not null
)
select distinct location_cell_geojson
from source
order by location_cell_geojson
