-- Crossings over time: the chosen measures summed per period ($grain: month, quarter or year) and series
-- ($split: total, border, location (the 8 largest crossing points, the rest together), measure, direction
-- or reporter), with each period's count of figures, of published figures and of withheld figures, and the value
-- a year earlier. Where two reporters count the same flow, only the inbound figure counts (as on the map and
-- overview). A sum over no published figure is NULL (all withheld or missing), never 0.
with source as not materialized (
    select location_id, location_name, country_iso3, neighbor_iso3, direction, period_start, measure,
           coalesce(reporter_iso3, reporter_org) as reporter, value, value_status
    from macros.crossings_near($border_a, $border_b, $countries)
    where period_start between $date_from and $date_to
      and period_granularity in ('day', 'month')
      and list_contains($measures, measure)
      and ($location is null or location_id = $location)
),
deduplicated as (
    select * from macros.inbound_first('source')
),
ranked as (
    -- only needed for the breakdown by crossing point; its two sides may name one crossing point differently
    select location_id, coalesce(min(location_name), location_id) as name,
           row_number() over (order by sum(value) desc nulls last, location_id) as rank
    from deduplicated
    where $split = 'location'
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
    select date_trunc($grain, d.period_start)::date as period,
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
           d.reporter, d.value, d.value_status
    from deduplicated d left join largest l on l.location_id = d.location_id
),
per_reporter as (
    select period, series, reporter, sum(value) as value, count(*) as figures, count(value) as published,
           count(*) filter (where value_status in ('withheld_by_publisher', 'suppressed', 'dropped')) as withheld,
           count(*) filter (where value_status = 'missing') as missing
    from labelled group by all
),
per_period as (
    select period, series, sum(value) as value, sum(figures) as figures, sum(published) as published,
           count(distinct reporter) as reporters, sum(withheld) as withheld, sum(missing) as missing
    from per_reporter group by all
),
like_for_like as (
    -- the change on a year earlier counts only publishers with figures in both periods
    select p.period, p.series, sum(p.value) as value_compared, sum(y.value) as value_year_before,
           count(*) as reporters_compared
    from per_reporter p
    join per_reporter y on y.series = p.series and y.reporter is not distinct from p.reporter
        and y.period = p.period - interval 1 year
    where p.value is not null and y.value is not null
    group by all
)
select p.period, p.series, p.value, p.figures, p.published, p.reporters, p.withheld, p.missing,
       l.value_compared, l.value_year_before, l.reporters_compared
from per_period p
left join like_for_like l on l.series = p.series and l.period = p.period
order by p.series, p.period
