-- One notice (all rows with this id, normally one) with its provenance: publisher, file, line, licence.
with source as (
    select n.*, b.name as border_name
    from exercise_notices n left join borders b on b.border_id = n.nearest_border_id
    where n.notice_id = $notice_id
),
provenance as (
    select source_id, publisher, title, url, licence, file_name, sha256, version, synthetic from sources
)
select s.*, p.publisher, p.title as source_title, p.url as source_url, p.licence, p.file_name,
       p.sha256, p.version as source_version, p.synthetic
from source s left join provenance p on p.source_id = s.source_id
order by s.source_id
