-- The redacted crossing figures with their series key (crossings_series_key.sql), as release/public_dataset
-- reads them: a view, so the figures are joined to their key as they are written to the release, once.
create or replace temp view _crossings_keyed as
with source as (
    select * from crossings
),
keys as (
    select * from _series_keys
)
select source.*, keys.series_key
from source
join keys
    on keys.location_id is not distinct from source.location_id
   and keys.country_iso3 is not distinct from source.country_iso3
   and keys.neighbor_iso3 is not distinct from source.neighbor_iso3
   and keys.direction is not distinct from source.direction
   and keys.reporter is not distinct from coalesce(source.reporter_iso3, source.reporter_org)
   and keys.measure is not distinct from source.measure
