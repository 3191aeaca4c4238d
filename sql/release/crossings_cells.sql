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
    -- the columns read below only: `joined` is stored once, and the scratch table has dozens more
    select _rid, value, _true_value, value_status, reporter_iso3, reporter_org, location_id, place_kind, direction,
           country_iso3, neighbor_iso3, period_start, period_granularity, measure, dimensions, source_id, source_line
    from crossings
),
previous as (
    select * from _previous_cells
),
joined as materialized (
    select s.*, p.previous_value, p.previous_status, p.location_id is not null as in_previous,
           cast(s.dimensions as varchar) as codes, year(s.period_start) as period_year
    from source s
    left join previous p
      on p.reporter_iso3 is not distinct from s.reporter_iso3
     and p.reporter_org is not distinct from s.reporter_org
     and p.location_id = s.location_id and p.place_kind = s.place_kind and p.direction = s.direction
     and p.period_start = s.period_start
     and p.period_granularity = s.period_granularity and p.measure = s.measure and p.dimensions = s.dimensions
),
-- each margin's groups numbered in key order (as dense_rank over the cells would, but sorting the groups, not
-- every cell), then joined back to the cells
location_period_measure as (
    select location_id, place_kind, period_start, period_granularity, measure,
           row_number() over (order by location_id, place_kind, period_start, period_granularity, measure) - 1 as id
    from joined
    group by location_id, place_kind, period_start, period_granularity, measure
),
location_period as (
    select reporter_iso3, reporter_org, location_id, place_kind, direction, period_start, period_granularity, codes,
           row_number() over (order by reporter_iso3, reporter_org, location_id, place_kind, direction, period_start,
                                       period_granularity, codes) - 1 as id
    from joined
    group by reporter_iso3, reporter_org, location_id, place_kind, direction, period_start, period_granularity, codes
),
border_period_measure as (
    select reporter_iso3, reporter_org, country_iso3, neighbor_iso3, direction, period_start, period_granularity,
           measure, codes,
           row_number() over (order by reporter_iso3, reporter_org, country_iso3, neighbor_iso3, direction,
                                       period_start, period_granularity, measure, codes) - 1 as id
    from joined
    group by reporter_iso3, reporter_org, country_iso3, neighbor_iso3, direction, period_start, period_granularity,
             measure, codes
),
location_year_measure as (
    select reporter_iso3, reporter_org, location_id, place_kind, direction, measure, period_granularity, period_year,
           codes,
           row_number() over (order by reporter_iso3, reporter_org, location_id, place_kind, direction, measure,
                                       period_granularity, period_year, codes) - 1 as id
    from joined
    group by reporter_iso3, reporter_org, location_id, place_kind, direction, measure, period_granularity,
             period_year, codes
),
border_year_measure as (
    select reporter_iso3, reporter_org, place_kind, country_iso3, neighbor_iso3, direction, measure,
           period_granularity, period_year, codes,
           row_number() over (order by reporter_iso3, reporter_org, place_kind, country_iso3, neighbor_iso3,
                                       direction, measure, period_granularity, period_year, codes) - 1 as id
    from joined
    group by reporter_iso3, reporter_org, place_kind, country_iso3, neighbor_iso3, direction, measure,
             period_granularity, period_year, codes
),
country_period_measure as (
    select reporter_iso3, reporter_org, place_kind, country_iso3, direction, period_start, period_granularity,
           measure, codes,
           row_number() over (order by reporter_iso3, reporter_org, place_kind, country_iso3, direction, period_start,
                                       period_granularity, measure, codes) - 1 as id
    from joined
    group by reporter_iso3, reporter_org, place_kind, country_iso3, direction, period_start, period_granularity,
             measure, codes
),
location_measure as (
    select reporter_iso3, reporter_org, location_id, place_kind, direction, measure, period_granularity, codes,
           row_number() over (order by reporter_iso3, reporter_org, location_id, place_kind, direction, measure,
                                       period_granularity, codes) - 1 as id
    from joined
    group by reporter_iso3, reporter_org, location_id, place_kind, direction, measure, period_granularity, codes
),
reporter_period_measure as (
    select reporter_iso3, reporter_org, place_kind, period_start, period_granularity, measure, codes,
           row_number() over (order by reporter_iso3, reporter_org, place_kind, period_start, period_granularity,
                                       measure, codes) - 1 as id
    from joined
    group by reporter_iso3, reporter_org, place_kind, period_start, period_granularity, measure, codes
),
keyed as (
    select
        j._rid,
        coalesce(j.value, 'NaN'::double) as value,
        coalesce(j._true_value, 'NaN'::double) as true_value,
        j.value_status in ('suppressed', 'dropped') as hidden,
        j.value_status = 'withheld_by_publisher' as withheld,
        j._true_value is null and j.value_status <> 'withheld_by_publisher' as missing,
        j.value_status in ('reported', 'estimated') and j.value is not null as eligible,
        j._rid in (select _rid from _carried_cells) as carried,
        coalesce(j.previous_status in ('reported', 'estimated') and j.previous_value = j._true_value, false) as known,
        j.in_previous,
        g1.id as m_location_period_measure,
        g2.id as m_location_period,
        g3.id as m_border_period_measure,
        g4.id as m_location_year_measure,
        g5.id as m_border_year_measure,
        g6.id as m_country_period_measure,
        g7.id as m_location_measure,
        g8.id as m_reporter_period_measure,
        j.reporter_iso3, j.reporter_org, j.location_id, j.direction, j.period_start, j.period_granularity, j.measure,
        j.source_id, j.source_line
    from joined j
    join location_period_measure g1
      on g1.location_id is not distinct from j.location_id
     and g1.place_kind is not distinct from j.place_kind
     and g1.period_start is not distinct from j.period_start
     and g1.period_granularity is not distinct from j.period_granularity
     and g1.measure is not distinct from j.measure
    join location_period g2
      on g2.reporter_iso3 is not distinct from j.reporter_iso3
     and g2.reporter_org is not distinct from j.reporter_org
     and g2.location_id is not distinct from j.location_id
     and g2.place_kind is not distinct from j.place_kind
     and g2.direction is not distinct from j.direction
     and g2.period_start is not distinct from j.period_start
     and g2.period_granularity is not distinct from j.period_granularity
     and g2.codes is not distinct from j.codes
    join border_period_measure g3
      on g3.reporter_iso3 is not distinct from j.reporter_iso3
     and g3.reporter_org is not distinct from j.reporter_org
     and g3.country_iso3 is not distinct from j.country_iso3
     and g3.neighbor_iso3 is not distinct from j.neighbor_iso3
     and g3.direction is not distinct from j.direction
     and g3.period_start is not distinct from j.period_start
     and g3.period_granularity is not distinct from j.period_granularity
     and g3.measure is not distinct from j.measure
     and g3.codes is not distinct from j.codes
    join location_year_measure g4
      on g4.reporter_iso3 is not distinct from j.reporter_iso3
     and g4.reporter_org is not distinct from j.reporter_org
     and g4.location_id is not distinct from j.location_id
     and g4.place_kind is not distinct from j.place_kind
     and g4.direction is not distinct from j.direction
     and g4.measure is not distinct from j.measure
     and g4.period_granularity is not distinct from j.period_granularity
     and g4.period_year is not distinct from j.period_year
     and g4.codes is not distinct from j.codes
    join border_year_measure g5
      on g5.reporter_iso3 is not distinct from j.reporter_iso3
     and g5.reporter_org is not distinct from j.reporter_org
     and g5.place_kind is not distinct from j.place_kind
     and g5.country_iso3 is not distinct from j.country_iso3
     and g5.neighbor_iso3 is not distinct from j.neighbor_iso3
     and g5.direction is not distinct from j.direction
     and g5.measure is not distinct from j.measure
     and g5.period_granularity is not distinct from j.period_granularity
     and g5.period_year is not distinct from j.period_year
     and g5.codes is not distinct from j.codes
    join country_period_measure g6
      on g6.reporter_iso3 is not distinct from j.reporter_iso3
     and g6.reporter_org is not distinct from j.reporter_org
     and g6.place_kind is not distinct from j.place_kind
     and g6.country_iso3 is not distinct from j.country_iso3
     and g6.direction is not distinct from j.direction
     and g6.period_start is not distinct from j.period_start
     and g6.period_granularity is not distinct from j.period_granularity
     and g6.measure is not distinct from j.measure
     and g6.codes is not distinct from j.codes
    join location_measure g7
      on g7.reporter_iso3 is not distinct from j.reporter_iso3
     and g7.reporter_org is not distinct from j.reporter_org
     and g7.location_id is not distinct from j.location_id
     and g7.place_kind is not distinct from j.place_kind
     and g7.direction is not distinct from j.direction
     and g7.measure is not distinct from j.measure
     and g7.period_granularity is not distinct from j.period_granularity
     and g7.codes is not distinct from j.codes
    join reporter_period_measure g8
      on g8.reporter_iso3 is not distinct from j.reporter_iso3
     and g8.reporter_org is not distinct from j.reporter_org
     and g8.place_kind is not distinct from j.place_kind
     and g8.period_start is not distinct from j.period_start
     and g8.period_granularity is not distinct from j.period_granularity
     and g8.measure is not distinct from j.measure
     and g8.codes is not distinct from j.codes
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
