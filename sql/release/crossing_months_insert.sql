-- The release's crossing figures per series key and month, as the app counts them (sql/app/crossing_month_macros.sql
-- figure_months over the whole release: the sum of the published figures of day and month periods, never 0 for
-- none, the counts of figures, published, withheld and missing, a daily series' last day; a publisher's own total
-- over a dimension stands for its parts), with the key's measure, place and countries to filter by, and whether
-- the month's figures are an outbound flow the other side counts inbound (mirrored_outbound: the app's
-- macros.inbound_first leaves them out without matching every figure again; every filter the app applies here
-- keeps or drops both sides of a flow together: the same crossing point, measure, month and pair of countries), and
-- the same key's value twelve months earlier where the app compares like with like (paired_year_before: that
-- month's figures all published, not a mirrored outbound month; NULL otherwise). The app's
-- macros.covered_crossings reads it instead of grouping every figure again at each page view. Run with the
-- release as the default catalog and the app's macros attached; made from the published table only, so it says
-- nothing the crossings table does not.
insert into crossing_months
with summed as (
    select * from macros.figure_months(null, null, null, null, null, null, null, null, null, null)
),
key_attributes as (
    select distinct series_key, measure, location_id, country_iso3, neighbor_iso3, direction
    from crossing_series
),
keyed as (
    select s.*, a.measure, a.location_id, a.country_iso3, a.neighbor_iso3, a.direction
    from summed s
    join key_attributes a on a.series_key = s.series_key
),
paired as (
    -- each flow once (mirrored_outbound) and its year before (paired_year_before), as the app finds them
    select * from macros.flows_paired('keyed')
)
select series_key, measure, location_id, country_iso3, neighbor_iso3, period_start, value, figures, published,
       withheld, missing, last_day, mirrored_outbound, paired_year_before
from paired
order by period_start, series_key
