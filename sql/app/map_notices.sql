-- Map: exercise areas in the period. A coarsened location is drawn as its cell (location_cell_geojson),
-- never as a point; a notice without a published area falls back to its published point.
with source as (
    select n.notice_id, n.designation, n.notifying_iso3, n.start_date, n.end_date, n.notified_on,
           n.troops, n.troops_status, n.area_name, n.area_geojson, n.location_cell_geojson,
           n.lat, n.lon, n.location_precision, n.location_status, n.time_precision, n.distance_to_border_km
    from exercise_notices n
    left join borders b on b.border_id = n.nearest_border_id
    where n.start_date <= $date_to and coalesce(n.end_date, n.start_date) >= $date_from
      and ($border_a is null or (b.iso3_a = $border_a and b.iso3_b = $border_b)
           or (b.iso3_a = $border_b and b.iso3_b = $border_a))
      and ($countries is null or list_contains($countries, n.notifying_iso3)
           or len(list_intersect($countries, n.participating_iso3)) > 0)
),
lead_rule as (
    select value as min_days from vd_thresholds where paragraph = '38' and metric = 'lead_time_days'
)
select s.notice_id, s.designation, s.notifying_iso3, s.start_date, s.end_date, s.troops, s.troops_status,
       s.area_name, coalesce(s.location_cell_geojson, s.area_geojson) as geometry,
       s.location_cell_geojson is not null as coarsened, s.lat, s.lon, s.location_precision, s.location_status,
       s.time_precision, s.distance_to_border_km,
       (s.start_date - s.notified_on) as lead_days, (s.start_date - s.notified_on) >= l.min_days as lead_ok
from source s cross join lead_rule l
where s.location_cell_geojson is not null or s.area_geojson is not null or (s.lat is not null and s.lon is not null)
