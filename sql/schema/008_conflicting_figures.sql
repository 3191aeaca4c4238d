-- Figures a file gave conflicting values for (issue 11, point 8): every row of such a key is quarantined as
-- conflicting_duplicate, so the figure is absent; this keeps the key (never the values) so a release can say how
-- many figures are absent for that reason, per source, measure and period. One row per figure.
create table if not exists conflicting_figures (
    source_id varchar not null,
    dataset varchar not null,
    location_id varchar,
    direction varchar,
    period_start date,
    period_granularity varchar,
    measure varchar,
    rows_conflicting bigint not null       -- how many rows of the file gave this figure, disagreeing
);
