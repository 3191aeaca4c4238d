-- Same months of earlier years: the chosen measures per calendar month and year (all years in the release that
-- the app draws as time, macros.charted; border, countries and crossing point filters apply), with the count of
-- figures, of published figures and of withheld and missing figures (a month a publisher left without a figure
-- counts as missing: macros.covered_crossings). A sum over no published figure is NULL, never 0.
with source as materialized (
    select *
    from macros.covered_crossings($border_a, $border_b, $countries, $dim_names, $dim_codes, $measures, $location, null, null, null)
),
deduplicated as (
    select * from macros.inbound_first('source')
)
select year(period_start) as year, month(period_start) as month, sum(value) as value, sum(figures) as figures,
       sum(published) as published, sum(withheld) as withheld, sum(missing) as missing
from deduplicated
group by all
order by year, month
