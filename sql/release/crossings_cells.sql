-- Crossing cells with the margins a reader might know a total of (docs/policy.md, secondary suppression):
--   m_location_period_measure  one place, period and measure, across directions and reporters
--   m_location_period          one reporter, place, direction and period, across measures
--   m_border_period_measure    one reporter, country pair, direction, period and measure, across places
--   m_location_year_measure    one reporter, place, direction and measure, across the periods of a year
with source as (
    select * from crossings
),
keyed as (
    select
        _rid,
        coalesce(value, 'NaN'::double) as value,
        value_status in ('suppressed', 'dropped') as hidden,
        value_status = 'withheld_by_publisher' as withheld,
        value_status in ('reported', 'estimated') and value is not null as eligible,
        dense_rank() over (order by location_id, period_start, period_granularity, measure) - 1
            as m_location_period_measure,
        dense_rank() over (order by reporter_iso3, reporter_org, location_id, direction, period_start,
                                    period_granularity) - 1
            as m_location_period,
        dense_rank() over (order by reporter_iso3, reporter_org, country_iso3, neighbor_iso3, direction,
                                    period_start, period_granularity, measure) - 1
            as m_border_period_measure,
        dense_rank() over (order by reporter_iso3, reporter_org, location_id, direction, measure,
                                    period_granularity, year(period_start)) - 1
            as m_location_year_measure,
        reporter_iso3, reporter_org, location_id, direction, period_start, period_granularity, measure,
        source_id, source_line
    from source
)
select
    _rid, value, hidden, withheld, eligible,
    m_location_period_measure, m_location_period, m_border_period_measure, m_location_year_measure
from keyed
order by reporter_iso3, reporter_org, location_id, direction, period_start, period_granularity, measure,
         source_id, source_line
