-- Infrastructure page: the figures above the table, counted in DuckDB over every project that matches (all
-- pages): per status, how many, and how many have dates (the timeline draws one bar each when few), of which how
-- many have a date outside the span the app draws as time (macros.charted: the timeline leaves them out).
-- Projects for the border and countries, active in the period (or undated), within $max_km of the nearest
-- border (NULL: any distance) and with one of $statuses (NULL: all), as projects_page lists them.
with source as (
    select status, starts, coalesce(actual_end, planned_end, starts) as ends
    from macros.filtered_projects($date_from, $date_to, $border_a, $border_b, $countries, $max_km, $statuses)
)
select coalesce(status, 'unknown') as status, count(*) as projects,
       count(*) filter (where starts is not null) as dated,
       count(*) filter (where starts is not null and not (macros.charted(starts) and macros.charted(ends)))
           as off_timeline
from source
group by all
order by status
