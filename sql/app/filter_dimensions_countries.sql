-- For a release made before dimension_codes (else filter_dimensions.sql): the codes of each dimension the
-- crossing figures are broken down by, with a label (a country's name for a country code) and how many figures
-- carry each; the publisher's own totals ('_total') are no code to choose.
with source as (
    select unnest(map_entries(dimensions)) as entry
    from crossings
    where cardinality(dimensions) > 0
),
codes as (
    select entry.key as dimension, entry.value as code, count(*) as figures
    from source
    where entry.value <> '_total'
    group by all
),
labelled as (
    select c.dimension, c.code, coalesce(n.name, c.code) as label, c.figures
    from codes c left join countries n on n.iso3 = c.code
)
select dimension, code, label, figures from labelled order by dimension, label, code
