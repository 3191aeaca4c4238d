-- two_year_start.sql's month from the release's crossing_series, without reading the figures (macros.
-- two_year_start_series), and whether it is the same answer (series_cover): $date_to is on or after the last day of
-- the latest month any series has. Otherwise the caller runs two_year_start.sql.
with latest as (
    select last_day(max(charted_to)) as last_charted_day from crossing_series
)
select $date_to is null or $date_to >= last_charted_day as series_cover,
       macros.two_year_start_series($border_a, $border_b, $countries, $dim_names, $dim_codes, $measures,
                                    $by_location) as months_from
from latest
