insert into crossings by name
select * from _incoming
