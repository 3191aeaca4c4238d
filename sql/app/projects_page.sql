-- Infrastructure page: one page of the projects that match ($limit rows from row $offset + 1; $limit NULL: every
-- row, for the download of the whole table or a map of few projects), in the order $sort names.
-- Projects for the border and countries, active in the period (or undated), within $max_km of the nearest
-- border (NULL: any distance) and with one of $statuses (NULL: all). starts and ends are the macro's (the one
-- definition of when a project runs: the timeline draws them, a project still being built runs to the release date).
with source as (
    select project_id, source_id, name, distance_to_border_km, starts, ends
    from macros.filtered_projects($date_from, $date_to, $border_a, $border_b, $countries, $max_km, $statuses)
),
keys as (
    -- the rows of this page. $sort is compared, never pasted: each choice fills one sort key and leaves the
    -- others NULL; project_id and source_id (unique together) end every order, so pages neither overlap nor
    -- skip a row (the same order closes this statement)
    select project_id, source_id, distance_to_border_km, starts, ends,
           case when $sort = 'start_desc' then starts end as by_start_desc,
           case when $sort = 'start_asc' then starts end as by_start_asc,
           case when $sort = 'name' then lower(name) end as by_name,
           case when $sort = 'project_id' then project_id end as by_id
    from source
    order by by_start_desc desc nulls last, by_start_asc asc nulls last, by_name asc nulls last, by_id,
             distance_to_border_km nulls last, project_id, source_id
    limit $limit offset $offset
),
provenance as (
    select source_id, publisher, file_name from sources
)
select p.project_id, p.name, p.kind, p.status, p.country_iso3, p.host_iso3, p.countries_iso3, p.funders, p.funders_status,
       p.budget, p.budget_status, p.currency, p.planned_start, p.planned_end, p.actual_start, p.actual_end,
       p.planned_start_precision, p.planned_end_precision, p.actual_start_precision, p.actual_end_precision,
       p.time_precision, p.time_coarsened_to, p.distance_to_border_km, b.name as border_name, p.location_precision, p.location_status,
       coalesce(p.location_cell_geojson, p.geometry_geojson) as geometry, p.lat, p.lon,
       p.location_outside_country, p.outside_country_km,
       p.description, s.publisher, s.file_name, p.source_line, k.starts, k.ends
from keys k
join infrastructure_projects p on p.project_id = k.project_id and p.source_id = k.source_id
left join borders b on b.border_id = p.nearest_border_id
left join provenance s on s.source_id = p.source_id
order by k.by_start_desc desc nulls last, k.by_start_asc asc nulls last, k.by_name asc nulls last, k.by_id,
         k.distance_to_border_km nulls last, k.project_id, k.source_id
