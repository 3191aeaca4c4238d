-- Measures in the release's crossing figures, most common first (for the measure choices), and whether any
-- crossing point reports it (a route's or region's measure is not offered where only crossing points are ranked).
with source as (
    select measure, sum(figures)::bigint as figures,
           bool_or(coalesce(place_kind, 'crossing_point') = 'crossing_point') as at_crossing_points
    from macros.series_figures()   -- the series and how many figures each holds, not every figure
    group by measure
)
select measure, figures, at_crossing_points from source order by figures desc, measure
