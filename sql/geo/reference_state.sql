-- What reference data a work database holds: countries (and whether their extents are filled) and NE borders.
with countries_state as (
    select count(*) as countries, count(min_lon) as with_extent from countries
),
borders_state as (
    select count(*) as borders from borders where source = ?
)
select countries, with_extent, borders
from countries_state, borders_state
