-- Fields a newer version of the same series changed, old beside new, before the project is replaced
-- (bl_field_revisions in macros.sql: the per-field diff every dataset keyed by one id shares).
insert into revisions
select * from bl_field_revisions('infrastructure_projects', '_incoming', 'project_id', $series_id, $source_id, $version)
