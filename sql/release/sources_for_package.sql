-- The sources a release cites in datapackage.json.
with source as (
    select source_id, series_id, dataset, publisher, title, url, licence, version, synthetic, sha256
    from sources
)
select *
from source
order by source_id
