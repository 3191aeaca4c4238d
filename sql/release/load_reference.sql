-- A reference table (borders, countries, vd_thresholds), copied as it is.
create table "{table}" as
with source as (
    select * from work.main."{table}"
)
select * from source
