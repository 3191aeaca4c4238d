-- Map, many exercise notices: how many match the filters, counted per square grid cell of the published
-- places. A notice is placed by its published point (a coarsened notice's point is the centre of its cell), or
-- by the first vertex of its published area when it has no point; nothing finer than the release is used.
-- One pass over the notices counts them on a base grid of $base degrees; the cells sent are the smallest of
-- $steps (multiples of $base, ascending) that gives at most $max_cells non-empty cells (else the largest).
-- The same notices as map_notices.sql, so the counts add up to what it would draw.
with source as (
    select n.start_date, coalesce(n.end_date, n.start_date) as end_date, (n.start_date - n.notified_on) as lead_days,
           n.lat, n.lon,
           case when n.lat is null or n.lon is null then
               regexp_extract(coalesce(n.location_cell_geojson, n.area_geojson),
                              '\[\s*(-?[0-9][0-9.eE+-]*)\s*,\s*(-?[0-9][0-9.eE+-]*)', ['x', 'y']) end as vertex
    from exercise_notices n
    left join borders b on b.border_id = n.nearest_border_id
    where n.start_date <= $date_to and coalesce(n.end_date, n.start_date) >= $date_from
      and ($border_a is null or (b.iso3_a = $border_a and b.iso3_b = $border_b)
           or (b.iso3_a = $border_b and b.iso3_b = $border_a))
      and ($countries is null or list_contains($countries, n.notifying_iso3)
           or len(list_intersect($countries, n.participating_iso3)) > 0)
),
lead_rule as (
    select max(value) as min_days from vd_thresholds where paragraph = '38' and metric = 'lead_time_days'
),
placed as (
    select coalesce(lon, try_cast(vertex.x as double)) as x, coalesce(lat, try_cast(vertex.y as double)) as y,
           start_date, end_date, lead_days
    from source
),
located as (
    select least(x, 179.99999) as x, least(y, 89.99999) as y, start_date, end_date, lead_days
    from placed
    where x between -180 and 180 and y between -90 and 90
),
base as (
    select floor(l.x / $base)::bigint as bi, floor(l.y / $base)::bigint as bj,
           count(*) as notices,
           count(*) filter (where l.lead_days >= r.min_days) as on_time,
           count(*) filter (where l.lead_days < r.min_days) as late,
           min(l.start_date) as first_date, max(l.end_date) as last_date,
           min(l.x) as min_x, min(l.y) as min_y, max(l.x) as max_x, max(l.y) as max_y
    from located l cross join lead_rule r
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
           sum(b.notices) as notices, sum(b.on_time) as on_time, sum(b.late) as late,
           min(b.first_date) as first_date, max(b.last_date) as last_date
    from base b cross join chosen c
    group by i, j
),
extent as (
    select min(min_x) as min_x, min(min_y) as min_y, max(max_x) as max_x, max(max_y) as max_y from base
)
select round(c.i * c.step, 5) as west, round(c.j * c.step, 5) as south, c.step, c.notices::bigint as notices,
       c.on_time::bigint as on_time, c.late::bigint as late, (c.notices - c.on_time - c.late)::bigint as unknown,
       c.first_date, c.last_date, e.min_x, e.min_y, e.max_x, e.max_y
from cells c cross join extent e
order by c.notices desc, west, south
