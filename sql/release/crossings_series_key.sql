-- Each redacted crossing figure's series key (series_key): one integer per crossing point, the two countries,
-- direction, reporter and measure (whatever its dimension codes and period length), numbered in the order of
-- those columns. The app groups, fills and pairs a series' months by it (sql/app/crossing_month_macros.sql covered_crossings and
-- latest_two_years) instead of by six text columns: at 10M figures that took two thirds of the Overview's time.
-- Made from the redacted rows, after every rule, so it says nothing the published columns do not.
create or replace table crossings as
with source as (
    select * from crossings
),
series as (
    select distinct location_id, country_iso3, neighbor_iso3, direction,
           coalesce(reporter_iso3, reporter_org) as reporter, measure
    from source
),
numbered as (
    select *, row_number() over (order by location_id, country_iso3, neighbor_iso3, direction, reporter,
                                          measure)::integer as series_key
    from series
)
select source.*, numbered.series_key
from source
join numbered
    on numbered.location_id is not distinct from source.location_id
   and numbered.country_iso3 is not distinct from source.country_iso3
   and numbered.neighbor_iso3 is not distinct from source.neighbor_iso3
   and numbered.direction is not distinct from source.direction
   and numbered.reporter is not distinct from coalesce(source.reporter_iso3, source.reporter_org)
   and numbered.measure is not distinct from source.measure
