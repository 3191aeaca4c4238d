-- Issue 11, point 2, for infrastructure projects: a planned or actual date published with an unknown day or month
-- ('1980-01-xx') loads as the first day of its month or year, and says so: <field>_precision is day, month or year
-- for each date of a project (NULL: no date). Every date loaded before this migration was read to the day.
alter table infrastructure_projects add column if not exists planned_start_precision varchar;
alter table infrastructure_projects add column if not exists planned_end_precision varchar;
alter table infrastructure_projects add column if not exists actual_start_precision varchar;
alter table infrastructure_projects add column if not exists actual_end_precision varchar;
update infrastructure_projects set planned_start_precision = 'day' where planned_start is not null and planned_start_precision is null;
update infrastructure_projects set planned_end_precision = 'day' where planned_end is not null and planned_end_precision is null;
update infrastructure_projects set actual_start_precision = 'day' where actual_start is not null and actual_start_precision is null;
update infrastructure_projects set actual_end_precision = 'day' where actual_end is not null and actual_end_precision is null;
