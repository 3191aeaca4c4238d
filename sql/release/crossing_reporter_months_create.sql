-- The release's crossing_reporter_months table, empty: the app's macros (sql/app/two_year_macros.sql) read it, and DuckDB
-- checks a macro against the tables when it is made; crossing_reporter_months_insert.sql fills it.
create table pub.main.crossing_reporter_months (
    reporter varchar, measure varchar, period_start date, value double, figures bigint, published bigint,
    withheld bigint, missing bigint, absent boolean, complete_month date, value_paired double,
    value_before_paired double, figures_paired bigint
)
