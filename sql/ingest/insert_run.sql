-- One line per file named in an ingest: loaded, unchanged, or failed with the message the user saw.
insert into ingest_runs (run_id, started_at, finished_at, path, profile, source_id, status, message)
values (nextval('ingest_run_ids'), ?, now()::timestamp, ?, ?, ?, ?, ?)
