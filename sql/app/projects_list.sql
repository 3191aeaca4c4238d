-- Infrastructure projects for the border and countries, active in the period (or undated), within
-- $max_km of the nearest border (NULL: any distance) and with one of $statuses (NULL: all).
with source as (
    select p.*, b.name as border_name
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
    where (coalesce(actual_start, planned_start) is null or coalesce(actual_start, planned_start) <= $date_to)
      and (coalesce(actual_end, planned_end) is null or coalesce(actual_end, planned_end) >= $date_from)
),
provenance as (
    select source_id, publisher, file_name from sources
)
select a.project_id, a.name, a.kind, a.status, a.country_iso3, a.countries_iso3, a.funders, a.funders_status,
       a.budget, a.budget_status, a.currency, a.planned_start, a.planned_end, a.actual_start, a.actual_end,
       a.time_precision, a.distance_to_border_km, a.border_name, a.location_precision, a.location_status,
       coalesce(a.location_cell_geojson, a.geometry_geojson) as geometry, a.lat, a.lon,
       a.description, p.publisher, p.file_name, a.source_line
from active a left join provenance p on p.source_id = a.source_id
order by a.distance_to_border_km nulls last, a.project_id
