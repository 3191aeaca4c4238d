-- The line each record starts on, by row id (0 = the first record read), for a file whose records do not each
-- take one line (see data_pipeline/ingest/line_numbers.py). The two unnests run side by side.
create or replace temp table _line_map as
select
    unnest(range(0, len($lines::bigint[]))) as rid,
    unnest($lines::bigint[]) as line
