-- The release's crossing series, one row per key of a published figure (place, the two countries, direction,
-- reporter, measure, dimension codes, granularity), with its first and last month (charted_from, charted_to) the app draws as time (the
-- dates of sql/app/macros.sql's macros.charted: 1900-01-01 to 2199-12-31) and how many figures it holds. Read by
-- the app's macros.covered_crossings to know which series a period of a few years must expect without scanning
-- decades of figures, the sidebar and Overview count figures by measure, place kind and status (statuses:
-- value_status -> figures) and Trends orders its crossing points by their figures' sum (counted_value) from it; series_key is the crossings' (sql/release/crossings_series_key.sql: one key may have
-- several series, one per dimension codes and granularity). Made from the published table only, so it says nothing
-- the crossings table does not.
create table pub.main.crossing_series as
with source as (
    select series_key, location_id, location_name, place_kind, country_iso3, neighbor_iso3, direction, reporter_iso3,
           reporter_org, measure, dimensions, period_granularity, date_trunc('month', period_start)::date as period_month,
           value_status
    from pub.main.crossings
    where period_start between date '1900-01-01' and date '2199-12-31'
)
select series_key, location_id, place_kind, country_iso3, neighbor_iso3, direction, reporter_iso3, reporter_org,
       measure, dimensions, period_granularity, any_value(location_name) as location_name,
       min(period_month) as charted_from, max(period_month) as charted_to, count(*) as figures,
       histogram(value_status) as statuses,
       null::double as counted_value   -- filled by crossing_series_counted.sql, which needs the app's macros
from source
group by series_key, location_id, place_kind, country_iso3, neighbor_iso3, direction, reporter_iso3, reporter_org,
         measure, dimensions, period_granularity
order by location_id, measure, direction, country_iso3
