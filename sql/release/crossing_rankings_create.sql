-- The release's crossing_rankings table, empty: the app's macros (sql/app/two_year_macros.sql) read it, and DuckDB checks a
-- macro against the tables when it is made; crossing_rankings_insert.sql fills it.
create table pub.main.crossing_rankings (
    measures varchar[], location_id varchar, location_name varchar, country_iso3 varchar, neighbor_iso3 varchar,
    latest_month date, last_12 double, previous_12 double, figures_last bigint, withheld_last bigint,
    missing_last bigint, figures_previous bigint, withheld_previous bigint, missing_previous bigint,
    compared_last double, compared_previous double, figures_compared bigint, reporters bigint
)
