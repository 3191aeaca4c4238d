insert into infrastructure_projects by name
select * from _incoming
