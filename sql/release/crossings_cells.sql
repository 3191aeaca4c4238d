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
-- and the same over the cells the previous release held (in_previous; suppression.secondary_suppression keeps
-- the m_* id of such a cell and -1 for the others, so not dense, which the audit does not need): a reader who kept
-- the previous release knows its totals too. true_value is the working value (the audit's truth). The margins' ids
-- themselves are numbered by suppression.margin_ids from the parts this statement gives (below).
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
-- each margin's key is made of the cells' columns before the period, the period (or year, or none) and those after
-- it; each part before and after is numbered once over the distinct combinations of the cells' other columns (a few
-- thousand), in its own order, and suppression.margin_ids numbers each margin's groups in key order from these
-- numbers and the period (as dense_rank over the cells would), in numpy: joining 10M cells back to each margin's
-- groups took 10-22 s a margin at 10M cells
combos as (
    select reporter_iso3, reporter_org, location_id, place_kind, direction, country_iso3, neighbor_iso3,
           period_granularity, measure, codes, source_id
    from joined
    group by all
),
ranked_combos as (
    -- per margin, the numbers of its key's parts (before | period | after): the groups in the order of the full key
    select *,
           -- m_location_period_measure: location_id, place_kind | period_start | period_granularity, measure
           dense_rank() over (order by location_id, place_kind) as r1a,
           dense_rank() over (order by period_granularity, measure) as r1b,
           -- m_location_period: reporter, location_id, place_kind, direction | period_start | granularity, codes
           dense_rank() over (order by reporter_iso3, reporter_org, location_id, place_kind, direction) as r2a,
           dense_rank() over (order by period_granularity, codes) as r2b,
           -- m_border_period_measure: reporter, the two countries, direction | period_start | granularity,
           -- measure, codes (r3b also closes m_country_period_measure's and m_reporter_period_measure's keys)
           dense_rank() over (order by reporter_iso3, reporter_org, country_iso3, neighbor_iso3, direction) as r3a,
           dense_rank() over (order by period_granularity, measure, codes) as r3b,
           -- m_location_year_measure: reporter, location_id, place_kind, direction, measure, granularity |
           -- period_year | codes (r4b also closes m_border_year_measure's key)
           dense_rank() over (order by reporter_iso3, reporter_org, location_id, place_kind, direction, measure,
                                       period_granularity) as r4a,
           dense_rank() over (order by codes) as r4b,
           -- m_border_year_measure: reporter, place_kind, the two countries, direction, measure, granularity |
           -- period_year | codes
           dense_rank() over (order by reporter_iso3, reporter_org, place_kind, country_iso3, neighbor_iso3,
                                       direction, measure, period_granularity) as r5a,
           -- m_country_period_measure: reporter, place_kind, country_iso3, direction | period_start | r3b's
           dense_rank() over (order by reporter_iso3, reporter_org, place_kind, country_iso3, direction) as r6a,
           -- m_location_measure: no period, so its id itself
           dense_rank() over (order by reporter_iso3, reporter_org, location_id, place_kind, direction, measure,
                                       period_granularity, codes) - 1 as r7,
           -- m_reporter_period_measure: reporter, place_kind | period_start | r3b's
           dense_rank() over (order by reporter_iso3, reporter_org, place_kind) as r8a,
           -- the cells' order (below) by numbers, not by six text columns: at 10M cells 24-35 -> 9-11 s
           dense_rank() over (order by reporter_iso3, reporter_org, location_id, direction) as order_place,
           dense_rank() over (order by source_id) as order_source
    from combos
),
ranked as materialized (
    select j.*, c.r1a, c.r1b, c.r2a, c.r2b, c.r3a, c.r3b, c.r4a, c.r4b, c.r5a, c.r6a, c.r7, c.r8a, c.order_place,
           c.order_source
    from joined j
    join ranked_combos c
      on c.reporter_iso3 is not distinct from j.reporter_iso3
     and c.reporter_org is not distinct from j.reporter_org
     and c.location_id is not distinct from j.location_id
     and c.place_kind is not distinct from j.place_kind
     and c.direction is not distinct from j.direction
     and c.country_iso3 is not distinct from j.country_iso3
     and c.neighbor_iso3 is not distinct from j.neighbor_iso3
     and c.period_granularity is not distinct from j.period_granularity
     and c.measure is not distinct from j.measure
     and c.codes is not distinct from j.codes
     and c.source_id is not distinct from j.source_id
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
        -- the period as a number in its order (NULL: none, last), for suppression.margin_ids
        j.period_start - date '1970-01-01' as period_day,
        j.period_year,
        j.r1a, j.r1b, j.r2a, j.r2b, j.r3a, j.r3b, j.r4a, j.r4b, j.r5a, j.r6a, j.r7, j.r8a,
        j.order_place, j.period_start, j.order_source, j.source_line
    from ranked j
)
select
    _rid, value, true_value, hidden, withheld, missing, eligible, carried, known, in_previous,
    period_day, period_year, r1a, r1b, r2a, r2b, r3a, r3b, r4a, r4b, r5a, r6a, r7, r8a
from keyed
-- = order by reporter_iso3, reporter_org, location_id, direction, period_start, period_granularity, measure,
--            source_id, source_line (r1b: period_granularity, measure), then _rid where those tie
order by order_place, period_start, r1b, order_source, source_line, _rid
