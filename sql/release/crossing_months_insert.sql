-- The release's crossing figures per series key and month, as the app counts them (sql/app/macros.sql
-- figure_months over the whole release: the sum of the published figures of day and month periods, never 0 for
-- none, the counts of figures, published, withheld and missing, a daily series' last day; a publisher's own total
-- over a dimension stands for its parts), with the key's measure, place and countries to filter by. The app's
-- macros.covered_crossings reads it instead of grouping every figure again at each page view. Run with the
-- release as the default catalog and the app's macros attached; made from the published table only, so it says
-- nothing the crossings table does not.
insert into crossing_months
with summed as (
    select * from macros.figure_months(null, null, null, null, null, null, null, null, null, null)
),
key_attributes as (
    select distinct series_key, measure, location_id, country_iso3, neighbor_iso3
    from crossing_series
)
select s.series_key, a.measure, a.location_id, a.country_iso3, a.neighbor_iso3, s.period_start, s.value, s.figures,
       s.published, s.withheld, s.missing, s.last_day
from summed s
join key_attributes a on a.series_key = s.series_key
order by s.period_start, s.series_key
