-- The schema migrations a database has taken, by number.
select version from schema_version order by version
