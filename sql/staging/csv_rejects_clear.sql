-- Forget the rejected lines of the file read before: DuckDB appends to these tables on every read.
drop table if exists temp.main.reject_errors;
drop table if exists temp.main.reject_scans
