-- Infrastructure page: the figures above the table, counted in DuckDB over every project that matches (all
-- pages): per status, how many, and how many have dates (the timeline draws one bar each when few).
-- Projects for the border and countries, active in the period (or undated), within $max_km of the nearest
-- border (NULL: any distance) and with one of $statuses (NULL: all), as projects_page lists them.
with source as (
    select status, starts
    from macros.filtered_projects($date_from, $date_to, $border_a, $border_b, $countries, $max_km, $statuses)
)
select coalesce(status, 'unknown') as status, count(*) as projects,
       count(*) filter (where starts is not null) as dated
from source
group by all
order by status
