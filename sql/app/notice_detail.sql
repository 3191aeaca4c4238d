-- One notice (all rows with this id, normally one) with its provenance: publisher, file, line, licence; only
-- when it is among the notices of the border, countries and period (as notices_page lists them), so that an id
-- typed or linked is checked against the release and the current filters.
with source as (
    select n.*, b.name as border_name
    from exercise_notices n left join borders b on b.border_id = n.nearest_border_id
    where n.notice_id = $notice_id
      and n.start_date <= $date_to and coalesce(n.end_date, n.start_date) >= $date_from
      and ($border_a is null or (b.iso3_a = $border_a and b.iso3_b = $border_b)
           or (b.iso3_a = $border_b and b.iso3_b = $border_a))
      and ($countries is null or list_contains($countries, n.notifying_iso3)
           or len(list_intersect($countries, n.participating_iso3)) > 0)
),
provenance as (
    select source_id, publisher, title, url, licence, file_name, sha256, version, synthetic from sources
)
select s.*, p.publisher, p.title as source_title, p.url as source_url, p.licence, p.file_name,
       p.sha256, p.version as source_version, p.synthetic
from source s left join provenance p on p.source_id = s.source_id
order by s.source_id
