-- Infrastructure page, timeline of many projects: how many projects are under way (or planned to be) in each
-- year, by status. A project counts in every calendar year from its start (actual, else planned) to its end
-- (actual, else planned; no end: its start year). Undated projects are not counted. The projects that match,
-- as projects_page lists them (border, countries, active in the period or undated, within $max_km of the
-- nearest border, with one of $statuses).
with source as (
    select p.status, coalesce(p.actual_start, p.planned_start) as starts, coalesce(p.actual_end, p.planned_end) as ends
    from infrastructure_projects p
    left join borders b on b.border_id = p.nearest_border_id
    where ($border_a is null or (b.iso3_a = $border_a and b.iso3_b = $border_b)
           or (b.iso3_a = $border_b and b.iso3_b = $border_a))
      and ($countries is null or list_contains($countries, p.country_iso3)
           or len(list_intersect($countries, p.countries_iso3)) > 0)
      and ($max_km is null or p.distance_to_border_km <= $max_km)
      and ($statuses is null or list_contains($statuses, p.status))
),
dated as (
    select status, year(starts) as first_year, year(greatest(coalesce(ends, starts), starts)) as last_year
    from source
    where starts is not null and starts <= $date_to and (ends is null or ends >= $date_from)
),
years as (
    select status, unnest(range(first_year, last_year + 1)) as year from dated
)
select year, coalesce(status, 'unknown') as status, count(*) as projects
from years
group by all
order by year, status
