-- A newer version of the same series replaces its projects by id; other publishers' projects stay.
delete from infrastructure_projects
where project_id in (select project_id from _incoming)
  and source_id in (select source_id from sources where series_id = $series_id)
