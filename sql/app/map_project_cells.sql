-- Map, many infrastructure projects: how many are active in the period, counted per square grid cell of the
-- published places, by status (macros.project_cells: a project is placed by its published point, or by the first
-- vertex of its published geometry or cell; the cells are the smallest of $steps, multiples of $base degrees,
-- giving at most $max_cells non-empty cells). Any distance to the border, any status.
-- The same projects as map_projects.sql, so the counts add up to what it would draw.
with cells as (
    select * from macros.project_cells($date_from, $date_to, $border_a, $border_b, $countries, null, null,
                                       $base, $steps, $max_cells)
)
select * from cells order by projects desc, west, south
