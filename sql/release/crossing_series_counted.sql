-- Each crossing series' figures summed as the app counts them (counted_value): macros.crossings_near over the whole
-- release, where a publisher's own total over a dimension stands for its parts and the parts it covers count none;
-- the figures the app draws as time only, as crossing_series counts them. The Trends page orders its choice of
-- crossing points by these sums instead of summing every figure at each view; every filter it applies without a
-- dimension is one on whole series, which keep or drop a total and its parts together. Run like
-- crossing_months_insert.sql, with the release as the default catalog and the app's macros attached.
update crossing_series s
set counted_value = c.value
from (
    select series_key, dimensions, period_granularity, place_kind, sum(value) as value
    from macros.crossings_near(null, null, null, null, null)
    where macros.charted(period_start)
    group by all
) c
where c.series_key = s.series_key and c.dimensions = s.dimensions
  and c.period_granularity is not distinct from s.period_granularity and c.place_kind is not distinct from s.place_kind
