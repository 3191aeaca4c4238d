-- Chapter VIII (constraining provisions) per notifying state and calendar year of the period, against the limits in
-- vd_thresholds: paragraphs 67, 68, 68.1 and 69, counted over every notice of the state in the release, whatever
-- the border, at publish time (sql/release/notices_chapter8_create.sql says how, and how a withheld number or a
-- date without its day is counted). The period chooses the years and the countries the notifying states; the
-- first $ids_shown notice ids (in id order) name each row's activities, `notice_ids_total` says how many there are.
with source as (
    select *
    from notices_chapter8
    where year between year($date_from) and year($date_to)
      and ($countries is null or list_contains($countries, notifying_iso3))
),
named as (
    select notifying_iso3, state, year, paragraph, activities, activities_possible, limit_value, over_limit,
           limit_metric, description, notices, unclassified, list_slice(notice_ids, 1, $ids_shown) as notice_ids,
           notice_ids_total
    from source
)
select *
from named
order by state, year, string_split(paragraph, '.')[1]::int, paragraph
