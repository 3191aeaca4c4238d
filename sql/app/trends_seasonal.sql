-- Same months of earlier years: the chosen measures per calendar month and year (all years in the release that
-- the app draws as time, macros.charted; border, countries and crossing point filters apply), with the count of
-- figures, of published figures and of withheld and missing figures (a month a publisher left without a figure
-- counts as missing: macros.covered_crossings). A sum over no published figure is NULL, never 0.
-- Coverage: publishers names those with figures in the month; publishers_without_figures those with figures in
-- other months of the same year but none in this one (the month's total leaves them out: no fall).
with deduplicated as materialized (
    -- each flow once (the inbound side's figures), summed per reporter and month (stored at publish for a view
    -- that filters the measures only)
    select *
    from macros.reporter_month_sums($border_a, $border_b, $countries, $dim_names, $dim_codes, $measures, $location,
                                    null, null, null)
),
reporter_months as (
    select year(period_start) as year, month(period_start) as month, reporter, bool_or(not absent) as covered
    from deduplicated
    group by all
),
year_reporters as (
    select year, reporter from reporter_months group by all having bool_or(covered)
),
coverage as (
    select r.year, r.month,
           string_agg(coalesce(r.reporter, '?'), ', ' order by r.reporter) filter (where r.covered) as publishers,
           string_agg(coalesce(r.reporter, '?'), ', ' order by r.reporter) filter (where not r.covered)
               as publishers_without_figures
    from reporter_months r
    semi join year_reporters y on y.year = r.year and y.reporter is not distinct from r.reporter
    group by all
),
per_month as (
    select year(period_start) as year, month(period_start) as month, sum(value) as value, sum(figures) as figures,
           sum(published) as published, sum(withheld) as withheld, sum(missing) as missing
    from deduplicated
    group by all
)
select p.*, c.publishers, c.publishers_without_figures
from per_month p
left join coverage c on c.year = p.year and c.month = p.month
order by p.year, p.month
