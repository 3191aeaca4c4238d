-- Release provenance must not be a function of protected bytes (issue 15): a source's public identifier is an
-- HMAC of its file hash under this operator key, which stays in the working database and never in a release.
-- The key itself is written by data_pipeline.db.ensure_operator_key (random bytes from Python's secrets).
create table if not exists operator_key (
    key varchar not null,
    created_at timestamp default current_timestamp
);
-- Declared public by its profile or sidecar (`public = true`): the file as a whole is public, so its hash
-- reveals nothing new and the release may cite it.
alter table sources add column if not exists public boolean default false;
