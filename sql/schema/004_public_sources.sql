-- Declared public by its profile or sidecar (`public = true`): the file as a whole is public, so a release may
-- cite its hash (issue 15: the hash of a file that held a protected value would confirm a guess of that value;
-- other files are cited by an HMAC of their hash under the operator key, data_pipeline/publish/operator_key.py).
alter table sources add column if not exists public boolean default false;
