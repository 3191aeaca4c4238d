-- Empty the countries table before a reload (load_countries is idempotent: delete, then insert).
delete from countries
