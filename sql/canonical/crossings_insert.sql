insert into crossings by name
select * from _incoming;

-- From here on the loaded rows are the ones stored: counting them (ingest/source_counts) reads the table
-- instead of computing the view again.
create or replace temp view _incoming as
select * from crossings where source_id = getvariable('bl_source_id')
