-- The borders (country pairs) that have data: crossings by reporting side and neighbour, notices and
-- projects by their nearest border. One row per pair, so the sidebar list stays small.
with crossing_sides as (
    -- macros.series_figures: the release's series and their figure counts, not every figure
    select country_iso3, neighbor_iso3, sum(figures) as crossings
    from macros.series_figures()
    where neighbor_iso3 is not null and neighbor_iso3 <> country_iso3
    group by all
),
crossing_pairs as (
    select least(country_iso3, neighbor_iso3) as iso3_a, greatest(country_iso3, neighbor_iso3) as iso3_b,
           sum(crossings) as crossings
    from crossing_sides
    group by all
),
notice_pairs as (
    select b.iso3_a, b.iso3_b, count(*) as notices
    from exercise_notices n join borders b on b.border_id = n.nearest_border_id
    where b.iso3_a is not null and b.iso3_b is not null
    group by all
),
project_pairs as (
    select b.iso3_a, b.iso3_b, count(*) as projects
    from infrastructure_projects p join borders b on b.border_id = p.nearest_border_id
    where b.iso3_a is not null and b.iso3_b is not null
    group by all
),
pairs as (
    select least(iso3_a, iso3_b) as iso3_a, greatest(iso3_a, iso3_b) as iso3_b,
           sum(crossings) as crossings, sum(notices) as notices, sum(projects) as projects
    from (
        select iso3_a, iso3_b, crossings, 0 as notices, 0 as projects from crossing_pairs
        union all select iso3_a, iso3_b, 0, notices, 0 from notice_pairs
        union all select iso3_a, iso3_b, 0, 0, projects from project_pairs
    )
    group by all
),
named as (
    select p.iso3_a || '-' || p.iso3_b as border, p.iso3_a, p.iso3_b,
           coalesce(ca.name, p.iso3_a) || ' – ' || coalesce(cb.name, p.iso3_b) as name,
           p.crossings::bigint as crossings, p.notices::bigint as notices, p.projects::bigint as projects
    from pairs p
    left join countries ca on ca.iso3 = p.iso3_a
    left join countries cb on cb.iso3 = p.iso3_b
)
select border, iso3_a, iso3_b, name, crossings, notices, projects from named order by name
