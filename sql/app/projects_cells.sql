-- Infrastructure page, map of many projects: the projects that match (as projects_page lists them: border,
-- countries, active in the period or undated, within $max_km of the nearest border, with one of $statuses),
-- counted per square grid cell of the published places, by status; the same cells as the Map page's
-- map_project_cells.sql, which has no distance or status filter. A project is placed by its published point (a
-- coarsened project's point is the centre of its cell), or by the first vertex of its published geometry when it
-- has no point. One pass counts them on a base grid of $base degrees; the cells sent are the smallest of $steps
-- (multiples of $base, ascending) that gives at most $max_cells non-empty cells (else the largest).
with source as (
    select p.status, p.lat, p.lon,
           case when p.lat is null or p.lon is null then
               regexp_extract(coalesce(p.location_cell_geojson, p.geometry_geojson),
                              '\[\s*(-?[0-9][0-9.eE+-]*)\s*,\s*(-?[0-9][0-9.eE+-]*)', ['x', 'y']) end as vertex,
           coalesce(p.actual_start, p.planned_start) as starts, coalesce(p.actual_end, p.planned_end) as ends
    from infrastructure_projects p
    left join borders b on b.border_id = p.nearest_border_id
    where ($border_a is null or (b.iso3_a = $border_a and b.iso3_b = $border_b)
           or (b.iso3_a = $border_b and b.iso3_b = $border_a))
      and ($countries is null or list_contains($countries, p.country_iso3)
           or len(list_intersect($countries, p.countries_iso3)) > 0)
      and ($max_km is null or p.distance_to_border_km <= $max_km)
      and ($statuses is null or list_contains($statuses, p.status))
),
placed as (
    select coalesce(lon, try_cast(vertex.x as double)) as x, coalesce(lat, try_cast(vertex.y as double)) as y, status
    from source
    where (starts is null or starts <= $date_to) and (ends is null or ends >= $date_from)
),
located as (
    select least(x, 179.99999) as x, least(y, 89.99999) as y, status
    from placed
    where x between -180 and 180 and y between -90 and 90
),
base as (
    select floor(x / $base)::bigint as bi, floor(y / $base)::bigint as bj,
           count(*) as projects,
           count(*) filter (where status = 'planned') as planned,
           count(*) filter (where status = 'under_construction') as under_construction,
           count(*) filter (where status = 'completed') as completed,
           count(*) filter (where status = 'suspended') as suspended,
           count(*) filter (where status = 'cancelled') as cancelled,
           min(x) as min_x, min(y) as min_y, max(x) as max_x, max(y) as max_y
    from located
    group by bi, bj
),
steps as (
    select unnest($steps) as step
),
spread as (
    select s.step, count(distinct (floor(b.bi * $base / s.step), floor(b.bj * $base / s.step))) as cells
    from base b cross join steps s
    group by s.step
),
chosen as (
    select coalesce(min(step) filter (where cells <= $max_cells), max(step)) as step from spread
),
cells as (
    select floor(b.bi * $base / c.step) as i, floor(b.bj * $base / c.step) as j, any_value(c.step) as step,
           sum(b.projects) as projects, sum(b.planned) as planned, sum(b.under_construction) as under_construction,
           sum(b.completed) as completed, sum(b.suspended) as suspended, sum(b.cancelled) as cancelled
    from base b cross join chosen c
    group by i, j
),
extent as (
    select min(min_x) as min_x, min(min_y) as min_y, max(max_x) as max_x, max(max_y) as max_y from base
)
select round(c.i * c.step, 5) as west, round(c.j * c.step, 5) as south, c.step, c.projects::bigint as projects,
       c.planned::bigint as planned, c.under_construction::bigint as under_construction,
       c.completed::bigint as completed, c.suspended::bigint as suspended, c.cancelled::bigint as cancelled,
       (c.projects - c.planned - c.under_construction - c.completed - c.suspended - c.cancelled)::bigint as other,
       e.min_x, e.min_y, e.max_x, e.max_y
from cells c cross join extent e
order by c.projects desc, west, south
