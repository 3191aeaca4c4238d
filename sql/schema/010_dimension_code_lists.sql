-- Issue 10: what a crossing dimension's codes mean, per source, as its profile declares them: the code list the
-- codes are checked against (iso3166, or NULL for codes kept as published) and the labels the profile gives
-- (`labels` in [dimensions]: e.g. a publisher's own codes beyond ISO 3166, where the publisher says what they
-- mean). A release turns them into its dimension_codes table (sql/release/public_dimension_codes.sql), so the
-- dashboard shows "Syria (SYR)" without looking anything up. One row per source and dimension.
create table if not exists dimension_code_lists (
    source_id varchar not null,
    dimension varchar not null,
    code_list varchar,
    labels map(varchar, varchar)
);
