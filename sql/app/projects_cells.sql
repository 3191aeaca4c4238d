-- Infrastructure page, map of many projects: the projects that match (as projects_page lists them: border,
-- countries, active in the period or undated, within $max_km of the nearest border, with one of $statuses),
-- counted per square grid cell of the published places, by status: the same cells as the Map page's
-- map_project_cells.sql (macros.project_cells), which has no distance or status filter.
with cells as (
    select * from macros.project_cells($date_from, $date_to, $border_a, $border_b, $countries, $max_km, $statuses,
                                       $base, $steps, $max_cells)
)
select * from cells order by projects desc, west, south
