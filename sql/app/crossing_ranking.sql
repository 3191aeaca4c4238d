-- Crossing points ranked: for each crossing point with figures of the chosen measures (border and countries
-- filters apply), its last 12 complete months (up to $date_to: macros.latest_two_years, each point's own months)
-- against the 12 months before, the figures published in both years (compared_last, compared_previous: the same
-- measure, direction, reporter and month a year apart, the like-with-like change), and how many figures are
-- withheld or missing (a month a publisher left without a figure: macros.covered_crossings). Where two reporters
-- count the same flow, only the inbound figure counts; a point both sides report takes its name and countries
-- from the inbound side. Sums over no published figure are NULL, never 0.
-- $months_from: the first month read (two_year_start.sql), a constant, so older row groups are skipped.
with source as materialized (
    select *, location_id as owner, '' as part
    from macros.covered_crossings($border_a, $border_b, $countries, $dim_names, $dim_codes, $measures, null, null, $date_to,
                                   $months_from)
),
flows as (
    select * from source where not mirrored_outbound   -- each flow once: the inbound side's figures
),
deduplicated as (
    select * from macros.month_comparisons('flows')
),
flow_keys as (
    -- the keys with rows: what names a crossing point is constant per key
    select any_value(location_id) as location_id, any_value(location_name) as location_name,
           any_value(direction) as direction, any_value(country_iso3) as country_iso3,
           any_value(neighbor_iso3) as neighbor_iso3
    from flows
    group by series_key
),
named as (
    select location_id, macros.inbound_side(location_name, direction, country_iso3) as location_name,
           macros.inbound_side(country_iso3, direction, country_iso3) as country_iso3,
           macros.inbound_side(neighbor_iso3, direction, country_iso3) as neighbor_iso3
    from flow_keys
    group by location_id
)
select t.owner as location_id, n.location_name, n.country_iso3, n.neighbor_iso3, t.latest_month, t.last_12,
       t.previous_12, t.figures_last, t.withheld_last, t.missing_last, t.figures_previous, t.withheld_previous,
       t.missing_previous, t.compared_last, t.compared_previous, t.figures_compared, t.reporters
from macros.two_year_totals('deduplicated') t
join named n on n.location_id is not distinct from t.owner
order by t.last_12 desc nulls last, location_id
