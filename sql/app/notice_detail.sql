-- One notice (all rows with this id, normally one) with its provenance: publisher, file, line, licence (and the
-- file's hash only for an input declared public); only
-- when it is among the notices of the border, countries and period (as notices_page lists them), so that an id
-- typed or linked is checked against the release and the current filters.
with source as (
    select *
    from macros.filtered_notices($date_from, $date_to, $border_a, $border_b, $countries)
    where notice_id = $notice_id
),
provenance as (
    select source_id, publisher, title, url, licence, file_name, sha256, line_numbers, version, synthetic from sources
)
select s.*, macros.lead_days_least(s.notified_on, s.notified_on_precision, s.start_date) as lead_days_least,
       macros.lead_days_most(s.notified_on, s.start_date, s.start_date_precision) as lead_days_most,
       p.publisher, p.title as source_title, p.url as source_url, p.licence, p.file_name,
       p.sha256, p.line_numbers, p.version as source_version, p.synthetic
from source s left join provenance p on p.source_id = s.source_id
order by s.source_id
