-- One dimension's codes ranked by their total in the period, at one place ($location; NULL: every place broken
-- down by it), with the sidebar's filters: each code's total, its share of the codes' total, and how many of its
-- figures are withheld (the total is then a lower bound, and so is its share's numerator).
with source as not materialized (
    select dimensions[$dimension] as code, value, value_status
    from macros.crossings_near($border_a, $border_b, $countries, $dim_names, $dim_codes)
    where list_contains($measures, measure)
      and period_granularity in ('day', 'month') and macros.charted(period_start)
      and period_start between $date_from and $date_to
      and ($location is null or location_id = $location)
      and dimensions[$dimension] is not null
),
per_code as (
    select code, sum(value) as total, count(*) as figures, count(value) as published,
           count(*) filter (where value_status in ('withheld_by_publisher', 'suppressed', 'dropped')) as withheld
    from source
    group by code
)
select row_number() over (order by total desc nulls last, code) as rank, code, total,
       total / nullif(sum(total) over (), 0) as share, figures, published, withheld,
       sum(withheld) over () as withheld_all
from per_code
order by rank
