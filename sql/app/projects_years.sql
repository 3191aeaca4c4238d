-- Infrastructure page, timeline of many projects: how many projects are under way (or planned to be) in each
-- year, by status. A project counts in every calendar year from its start (actual, else planned) to its end
-- (starts and ends of macros.projects_near: actual, else planned; under construction or suspended: at least the
-- release date; no end: its start year). Undated projects are not counted, nor those with a date outside the span
-- the app draws as time (macros.charted: year 0 or 12345 would stretch it). The projects that match,
-- as projects_page lists them (border, countries, active in the period or undated, within $max_km of the
-- nearest border, with one of $statuses).
with source as (
    select status, starts, ends
    from macros.filtered_projects($date_from, $date_to, $border_a, $border_b, $countries, $max_km, $statuses)
),
dated as (
    select status, year(starts) as first_year, year(greatest(coalesce(ends, starts), starts)) as last_year
    from source
    where starts is not null and macros.charted(starts) and macros.charted(coalesce(ends, starts))
),
years as (
    select status, unnest(range(first_year, last_year + 1)) as year from dated
)
select year, coalesce(status, 'unknown') as status, count(*) as projects
from years
group by all
order by year, status
