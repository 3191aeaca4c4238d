-- Infrastructure page: the figures above the table, counted in DuckDB over every project that matches (all
-- pages): per status, how many, and how many have dates (the timeline draws one bar each when few).
-- Projects for the border and countries, active in the period (or undated), within $max_km of the nearest
-- border (NULL: any distance) and with one of $statuses (NULL: all), as projects_page lists them.
with source as (
    select p.status, coalesce(p.actual_start, p.planned_start) as starts,
           coalesce(p.actual_end, p.planned_end) as ends
    from infrastructure_projects p
    left join borders b on b.border_id = p.nearest_border_id
    where ($border_a is null or (b.iso3_a = $border_a and b.iso3_b = $border_b)
           or (b.iso3_a = $border_b and b.iso3_b = $border_a))
      and ($countries is null or list_contains($countries, p.country_iso3)
           or len(list_intersect($countries, p.countries_iso3)) > 0)
      and ($max_km is null or p.distance_to_border_km <= $max_km)
      and ($statuses is null or list_contains($statuses, p.status))
),
active as (
    select * from source
    where (starts is null or starts <= $date_to) and (ends is null or ends >= $date_from)
)
select coalesce(status, 'unknown') as status, count(*) as projects,
       count(*) filter (where starts is not null) as dated
from active
group by all
order by status
