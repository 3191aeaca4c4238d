-- Crossings over time: the chosen measures summed per period ($grain: month, quarter or year) and series
-- ($split: total, border, location (the 8 largest crossing points, the rest together), measure, direction
-- or reporter), with each period's count of figures, of published, withheld and missing figures (a month a
-- publisher left without a row counts as a missing figure: macros.covered_crossings), the months it covers, and
-- the change on a year earlier. Where two reporters count the same flow, only the inbound figure counts (as on
-- the map and overview). A sum over no published figure is NULL (all withheld or missing), never 0.
-- Like with like: the change pairs each published figure (crossing point, measure, direction, reporter, month)
-- with the same figure twelve months earlier, also published; a period with some months only (the last year of
-- the data, a quarter cut by the period chosen) is compared over those same months a year before. The year
-- before the period chosen is read for that comparison only.
-- Coverage: a period in which a publisher of the series (one with figures in some period shown) has no row in some
-- month (its figures there all missing, as when its file ends earlier) names that publisher in
-- publishers_without_figures: the period's total leaves the publisher out, and is no fall.
with source as materialized (
    select *
    from macros.covered_crossings($border_a, $border_b, $countries, $dim_names, $dim_codes, $measures, $location,
                                  date_trunc('month', $date_from - interval 1 year)::date, $date_to, null)
),
deduplicated as (
    select * from source where not mirrored_outbound   -- each flow once: the inbound side's figures
),
ranked as (
    -- only needed for the breakdown by crossing point; its two sides may name one crossing point differently
    select location_id, coalesce(min(location_name), location_id) as name,
           row_number() over (order by sum(value) desc nulls last, location_id) as rank
    from deduplicated
    where $split = 'location' and period_start >= $date_from
    group by location_id
),
largest as (
    -- one label per crossing point, with its id where two crossing points share a name
    select location_id, rank,
           case when count(*) over (partition by name) > 1 then name || ' (' || location_id || ')' else name
           end as name
    from ranked
),
labelled as (
    select date_trunc($grain, d.period_start)::date as period, d.period_start as month,
           case $split
               when 'border' then least(d.country_iso3, coalesce(d.neighbor_iso3, '?')) || '–'
                                  || greatest(d.country_iso3, coalesce(d.neighbor_iso3, '?'))
               when 'location' then case when l.rank <= 8 then l.name
                                         else 'other crossing points' end
               when 'measure' then d.measure
               when 'direction' then d.direction || ' (' || d.country_iso3 || ')'
               when 'reporter' then coalesce(d.reporter, '?')
               else 'total'
           end as series,
           d.series_key, d.location_id, d.country_iso3, d.neighbor_iso3, d.direction, d.reporter, d.measure, d.value,
           d.figures, d.published, d.withheld, d.missing, d.absent, d.period_start >= $date_from as shown,
           d.paired_year_before
    from deduplicated d left join largest l on l.location_id = d.location_id
),
per_period as (
    select period, series, sum(value) as value, sum(figures) as figures, sum(published) as published,
           count(distinct reporter) filter (where not absent) as reporters, sum(withheld) as withheld,
           sum(missing) as missing, count(distinct month) as months, min(month) as first_month,
           max(month) as last_month
    from labelled
    where shown
    group by all
),
pairs as (
    -- a figure of the period shown and the same figure a year earlier, both wholly published (covered_crossings'
    -- paired_year_before)
    select period, series, month, value as value_now, paired_year_before as value_before
    from labelled
    where shown and published = figures and paired_year_before is not null
),
reporter_months as (
    select series, period, reporter, count(distinct month) filter (where not absent) as months_covered,
           count(distinct month) as months
    from labelled
    where shown
    group by all
),
without_figures as (
    select series, period, string_agg(coalesce(reporter, '?'), ', ' order by reporter) as publishers_without_figures
    from reporter_months r
    where months_covered < months
      and exists (select 1 from reporter_months c
                  where c.series = r.series and c.reporter is not distinct from r.reporter and c.months_covered > 0)
    group by all
),
like_for_like as (
    select period, series, sum(value_now) as value_compared, sum(value_before) as value_year_before,
           count(*) as figures_compared, count(distinct month) as months_compared,
           min(month) as first_month_compared, max(month) as last_month_compared
    from pairs
    group by all
)
select p.period, p.series, p.value, p.figures, p.published, p.reporters, p.withheld, p.missing, p.months,
       p.first_month, p.last_month, l.value_compared, l.value_year_before, l.figures_compared, l.months_compared,
       l.first_month_compared, l.last_month_compared, w.publishers_without_figures
from per_period p
left join like_for_like l on l.series = p.series and l.period = p.period
left join without_figures w on w.series = p.series and w.period = p.period
order by p.series, p.period
