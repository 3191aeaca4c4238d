-- One dimension's breakdown over time: the chosen measures' figures per period ($grain) and code of the
-- dimension ($dimension), at one place ($location; NULL: every place broken down by it), with the sidebar's
-- filters. The $top codes with the largest total in the period are series of their own, the rest one series
-- ('other codes'). Each row counts its figures, the published and the withheld ones: a sum over no published
-- figure is NULL (never 0), and a withheld figure is not counted as zero. The dimension is held, not summed:
-- the statement passes its codes in the filter (data_pipeline.views.queries_breakdown), so a publisher's own
-- total over it ('_total') is left out and its parts are shown. period_months, first_month and last_month: the
-- months of the period with a figure of any code (a year with four months of figures is no year to compare).
with source as not materialized (
    select date_trunc($grain, period_start)::date as period, period_start, dimensions[$dimension] as code,
           value, value_status
    from macros.crossings_near($border_a, $border_b, $countries, $dim_names, $dim_codes)
    where list_contains($measures, measure)
      and period_granularity in ('day', 'month') and macros.charted(period_start)
      and period_start between $date_from and $date_to
      and ($location is null or location_id = $location)
      and dimensions[$dimension] is not null
),
ranked as (
    select code, sum(value) as total, count(*) as figures, count(value) as published,
           count(*) filter (where value_status in ('withheld_by_publisher', 'suppressed', 'dropped')) as withheld,
           row_number() over (order by sum(value) desc nulls last, code) as rank
    from source
    group by code
),
period_months as (
    select period, count(distinct period_start) as period_months, min(period_start) as first_month,
           max(period_start) as last_month
    from source
    group by period
),
labelled as (
    select s.period, s.period_start, case when r.rank <= $top then s.code else 'other codes' end as series,
           least(r.rank, $top + 1) as series_rank, s.value, s.value_status
    from source s join ranked r on r.code = s.code
)
select l.period, l.series, min(l.series_rank) as series_rank, sum(l.value) as value, count(*) as figures,
       count(l.value) as published,
       count(*) filter (where l.value_status in ('withheld_by_publisher', 'suppressed', 'dropped')) as withheld,
       count(distinct l.period_start) as months, any_value(m.period_months) as period_months,
       any_value(m.first_month) as first_month, any_value(m.last_month) as last_month
from labelled l
join period_months m on m.period = l.period
group by l.period, l.series
order by series_rank, l.series, l.period
