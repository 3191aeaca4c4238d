-- Issue 11, point 7: a notice or project may name the country it takes place in (host_iso3), apart from the
-- notifying state or the project's country. Its point is checked against that country (else its own): outside the
-- country by more than the tolerance, location_outside_country is true and outside_country_km is the geodesic
-- distance to that country's edge (data_pipeline/geo/host_country.py). NULL: not checked (no point, or no outline).
alter table exercise_notices add column if not exists host_iso3 varchar;
alter table exercise_notices add column if not exists location_outside_country boolean;
alter table exercise_notices add column if not exists outside_country_km double;
alter table infrastructure_projects add column if not exists host_iso3 varchar;
alter table infrastructure_projects add column if not exists location_outside_country boolean;
alter table infrastructure_projects add column if not exists outside_country_km double;
