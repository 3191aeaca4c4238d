-- Countries that appear in the release's data, with their names.
with codes as (
    select distinct country_iso3 as iso3 from macros.series_figures()   -- the series, not every figure
    union select distinct neighbor_iso3 from macros.series_figures()
    union select distinct notifying_iso3 from exercise_notices
    union select distinct country_iso3 from infrastructure_projects
),
named as (
    select c.iso3, coalesce(n.name, c.iso3) as name
    from codes c left join countries n on n.iso3 = c.iso3
    where c.iso3 is not null
)
select iso3, name from named order by name
