-- Map: exercise areas in the period. A coarsened location is drawn as its cell (location_cell_geojson),
-- never as a point; a notice without a published area falls back to its published point. lead_ok: the stored
-- verdict (not late), NULL when unknown.
with source as (
    select n.notice_id, n.designation, n.notifying_iso3, n.start_date, n.end_date, n.notified_on,
           n.start_date_precision, n.end_date_precision,
           n.troops, n.troops_status, n.area_name, n.area_geojson, n.location_cell_geojson,
           n.lat, n.lon, n.location_precision, n.location_status, n.time_precision, n.time_coarsened_to,
           n.distance_to_border_km,
           n.lead_days, n.late
    from macros.filtered_notices($date_from, $date_to, $border_a, $border_b, $countries) n
)
select s.notice_id, s.designation, s.notifying_iso3, s.start_date, s.end_date, s.start_date_precision,
       s.end_date_precision, s.troops, s.troops_status,
       s.area_name, coalesce(s.location_cell_geojson, s.area_geojson) as geometry,
       s.location_cell_geojson is not null as coarsened, s.lat, s.lon, s.location_precision, s.location_status,
       s.time_precision, s.time_coarsened_to, s.distance_to_border_km,
       s.lead_days, case s.late when 'no' then true when 'yes' then false end as lead_ok
from source s
where s.location_cell_geojson is not null or s.area_geojson is not null or (s.lat is not null and s.lon is not null)
