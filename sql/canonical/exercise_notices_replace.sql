-- A newer version of the same series replaces its notices by id; other publishers' notices stay.
delete from exercise_notices
where notice_id in (select notice_id from _incoming)
  and source_id in (select source_id from sources where series_id = $series_id)
