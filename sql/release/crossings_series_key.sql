-- Each redacted crossing figure's series key (series_key): one integer per crossing point, the two countries,
-- direction, reporter and measure (whatever its dimension codes and period length), numbered in the order of
-- those columns. The app groups, fills and pairs a series' months by it (sql/app/crossing_month_macros.sql covered_crossings and
-- latest_two_years) instead of by six text columns: at 10M figures that took two thirds of the Overview's time.
-- Made from the redacted rows, after every rule, so it says nothing the published columns do not. One row per
-- series (_series_keys); the figures get theirs as they are published (crossings_keyed.sql), not by a rewrite of
-- the 10M-row scratch table (16 s at 10M figures).
create or replace table _series_keys as
with source as (
    select location_id, country_iso3, neighbor_iso3, direction, coalesce(reporter_iso3, reporter_org) as reporter,
           measure
    from crossings
),
series as (
    select distinct location_id, country_iso3, neighbor_iso3, direction, reporter, measure
    from source
)
select *, row_number() over (order by location_id, country_iso3, neighbor_iso3, direction, reporter,
                                      measure)::integer as series_key
from series
