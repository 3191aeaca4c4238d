-- No previous release: an empty table of its cells, so that the cell queries read the same either way.
create table _previous_cells (
    reporter_iso3 varchar, reporter_org varchar, location_id varchar, place_kind varchar, direction varchar,
    period_start date, period_granularity varchar, measure varchar, dimensions map(varchar, varchar),
    previous_value double, previous_status varchar
)
