insert into exercise_notices by name
select * from _incoming
