-- Map, many exercise notices: how many match the filters, counted per square grid cell of the published
-- places (macros.grid_places: a notice is placed by its published point, or by the first vertex of its published
-- area or cell; the cells are the smallest of $steps, multiples of $base degrees, giving at most $max_cells
-- non-empty cells), with how many were notified on time or late (the stored verdict: para 38 or 41) and their dates.
-- The same notices as map_notices.sql, so the counts add up to what it would draw.
with places as (
    select n.lon, n.lat, coalesce(n.location_cell_geojson, n.area_geojson) as geojson, n.start_date,
           coalesce(n.end_date, n.start_date) as end_date, n.late
    from macros.filtered_notices($date_from, $date_to, $border_a, $border_b, $countries) n
),
cells as (
    select g.west, g.south, g.step, count(*) as notices,
           count(*) filter (where g.late = 'no') as on_time,
           count(*) filter (where g.late = 'yes') as late,
           min(g.start_date) as first_date, max(g.end_date) as last_date, g.min_x, g.min_y, g.max_x, g.max_y
    from macros.grid_places('places', $base, $steps, $max_cells) g
    group by all
)
select west, south, step, notices, on_time, late, notices - on_time - late as unknown, first_date, last_date,
       min_x, min_y, max_x, max_y
from cells
order by notices desc, west, south
