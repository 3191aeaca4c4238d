-- Crossing cells with the margins a reader might know a total of (docs/policy.md, secondary suppression):
--   m_location_period_measure  one place, period and measure, across directions and reporters
--   m_location_period          one reporter, place, direction and period, across measures
--   m_border_period_measure    one reporter, country pair, direction, period and measure, across places
--   m_location_year_measure    one reporter, place, direction and measure, across the periods of a year
-- and the wider totals the dashboard prints at its filters (a border's year, a country's month, a place over all
-- its years, a reporter's month; totals over several of them are sums of these), each over places of one kind:
--   m_border_year_measure      one reporter, country pair, direction and measure, across places and a year's periods
--   m_country_period_measure   one reporter, country, direction, period and measure, across its borders' places
--   m_location_measure         one reporter, place, direction and measure, across all periods
--   m_reporter_period_measure  one reporter, period and measure, across every place and direction
-- Within a cube (crossings broken down by dimensions) the last three hold every dimension's code too (a route's
-- Syrians over a year is a total a reader might know; the route's year over all nationalities is a sum of its
-- months' totals), and each dimension has a margin of its own (crossings_dimension_margins.sql).
-- A place is a location_id of one place_kind: a crossing point and a route that share a code are two places, in
-- margins of their own and matched only to their own kind's cells of the previous release.
-- and the same over the cells the previous release held (prev_*: the group's id, -1 for a cell it did not hold;
-- the ids are the m_* ones, so not dense, which the audit does not need): a reader who kept the previous release
-- knows its totals too. true_value is the working value (the audit's truth).
with source as (
    select * from crossings
),
previous as (
    select * from _previous_cells
),
joined as (
    select s.*, p.previous_value, p.previous_status, p.location_id is not null as in_previous,
           cast(s.dimensions as varchar) as codes
    from source s
    left join previous p
      on p.reporter_iso3 is not distinct from s.reporter_iso3
     and p.reporter_org is not distinct from s.reporter_org
     and p.location_id = s.location_id and p.place_kind = s.place_kind and p.direction = s.direction
     and p.period_start = s.period_start
     and p.period_granularity = s.period_granularity and p.measure = s.measure and p.dimensions = s.dimensions
),
keyed as (
    select
        _rid,
        coalesce(value, 'NaN'::double) as value,
        coalesce(_true_value, 'NaN'::double) as true_value,
        value_status in ('suppressed', 'dropped') as hidden,
        value_status = 'withheld_by_publisher' as withheld,
        _true_value is null and value_status <> 'withheld_by_publisher' as missing,
        value_status in ('reported', 'estimated') and value is not null as eligible,
        _rid in (select _rid from _carried_cells) as carried,
        coalesce(previous_status in ('reported', 'estimated') and previous_value = _true_value, false) as known,
        in_previous,
        dense_rank() over (order by location_id, place_kind, period_start, period_granularity, measure) - 1
            as m_location_period_measure,
        dense_rank() over (order by reporter_iso3, reporter_org, location_id, place_kind, direction, period_start,
                                    period_granularity, codes) - 1
            as m_location_period,
        dense_rank() over (order by reporter_iso3, reporter_org, country_iso3, neighbor_iso3, direction,
                                    period_start, period_granularity, measure, codes) - 1
            as m_border_period_measure,
        dense_rank() over (order by reporter_iso3, reporter_org, location_id, place_kind, direction, measure,
                                    period_granularity, year(period_start), codes) - 1
            as m_location_year_measure,
        dense_rank() over (order by reporter_iso3, reporter_org, place_kind, country_iso3, neighbor_iso3, direction,
                                    measure,
                                    period_granularity, year(period_start), codes) - 1
            as m_border_year_measure,
        dense_rank() over (order by reporter_iso3, reporter_org, place_kind, country_iso3, direction, period_start,
                                    period_granularity, measure, codes) - 1
            as m_country_period_measure,
        dense_rank() over (order by reporter_iso3, reporter_org, location_id, place_kind, direction, measure,
                                    period_granularity, codes) - 1
            as m_location_measure,
        dense_rank() over (order by reporter_iso3, reporter_org, place_kind, period_start, period_granularity, measure,
                                    codes) - 1
            as m_reporter_period_measure,
        reporter_iso3, reporter_org, location_id, direction, period_start, period_granularity, measure,
        source_id, source_line
    from joined
)
select
    _rid, value, true_value, hidden, withheld, missing, eligible, carried, known,
    m_location_period_measure, m_location_period, m_border_period_measure, m_location_year_measure,
    m_border_year_measure, m_country_period_measure, m_location_measure, m_reporter_period_measure,
    case when in_previous then m_location_period_measure else -1 end as prev_location_period_measure,
    case when in_previous then m_location_period else -1 end as prev_location_period,
    case when in_previous then m_border_period_measure else -1 end as prev_border_period_measure,
    case when in_previous then m_location_year_measure else -1 end as prev_location_year_measure,
    case when in_previous then m_border_year_measure else -1 end as prev_border_year_measure,
    case when in_previous then m_country_period_measure else -1 end as prev_country_period_measure,
    case when in_previous then m_location_measure else -1 end as prev_location_measure,
    case when in_previous then m_reporter_period_measure else -1 end as prev_reporter_period_measure
from keyed
order by reporter_iso3, reporter_org, location_id, direction, period_start, period_granularity, measure,
         source_id, source_line
