insert into ingest_runs (run_id, started_at, finished_at, path, profile, source_id, status)
values (nextval('ingest_run_ids'), ?, now()::timestamp, ?, ?, ?, ?)
