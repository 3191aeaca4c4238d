-- The land border lines that nearest-border distances are measured to. Claim lines (kind 'disputed') are not
-- borders; nor are Natural Earth's lease limits (Guantanamo, Baikonur) and overlay limits, which separate no
-- two states. Disputed sections, lines of control and indefinite frontiers are borders between two states.
with source as (
    select border_id, iso3_a, iso3_b, kind, featurecla, geometry_geojson from borders
),
land as (
    select border_id, iso3_a, iso3_b, geometry_geojson
    from source
    where kind = 'land' and geometry_geojson is not null
      and coalesce(featurecla, '') not in ('Lease limit', 'Overlay limit')
)
select border_id, iso3_a, iso3_b, geometry_geojson
from land
order by border_id
