-- Issue 11, point 2: dates published with an unknown day or month ('1980-01-xx') load as the first day of their
-- month or year, and say so: <field>_precision is day, month or year for each date of a notice (NULL: no date).
-- Every date loaded before this migration was read to the day.
alter table exercise_notices add column if not exists notified_on_precision varchar;
alter table exercise_notices add column if not exists start_date_precision varchar;
alter table exercise_notices add column if not exists end_date_precision varchar;
update exercise_notices set notified_on_precision = 'day' where notified_on is not null and notified_on_precision is null;
update exercise_notices set start_date_precision = 'day' where start_date is not null and start_date_precision is null;
update exercise_notices set end_date_precision = 'day' where end_date is not null and end_date_precision is null;
-- Issue 11, point 3: participants a publisher names that no ISO 3166-1 code stands for (a former state such as the
-- German Democratic Republic, an alliance), as published, kept beside participating_iso3 rather than dropped.
alter table exercise_notices add column if not exists participants_unmapped varchar[];
