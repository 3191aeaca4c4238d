-- The release's crossing_months table, empty: the app's macros (sql/app/*macros.sql), which publish runs against the
-- new release to fill it (crossing_months_insert.sql), read it, and DuckDB checks a macro against the tables when
-- it is made.
create table pub.main.crossing_months (
    series_key integer, measure varchar, location_id varchar, country_iso3 varchar, neighbor_iso3 varchar,
    period_start date, value double, figures bigint, published bigint, withheld bigint, missing bigint,
    last_day date, mirrored_outbound boolean, paired_year_before double
)
