-- The land border lines that nearest-border distances are measured to (disputed/claim lines are not borders).
with source as (
    select border_id, iso3_a, iso3_b, kind, geometry_geojson from borders
),
land as (
    select border_id, iso3_a, iso3_b, geometry_geojson
    from source
    where kind = 'land' and geometry_geojson is not null
)
select border_id, iso3_a, iso3_b, geometry_geojson
from land
order by border_id
