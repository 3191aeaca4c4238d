-- The keys of the figures this file gave conflicting values for (every row of the key is in quarantine as
-- conflicting_duplicate): one row per figure, with how many rows disagreed, never the values. A release counts
-- them (release/public_conflicting_figures.sql) so the dashboard can say why a figure is absent.
insert into conflicting_figures
with source as (
    select * from _typed
),
conflicting as (
    select *
    from source
    where list_contains(reasons, 'conflicting_duplicate')
)
select
    $source_id as source_id, 'crossings' as dataset, location_id, direction, period_start, period_granularity,
    measure, count(*) as rows_conflicting
from conflicting
group by reporter_iso3, reporter_org, place_kind, dimensions, location_id, direction, period_start, period_granularity,
    measure
