-- The codes of each dimension the crossing figures are broken down by (nationality, border type, ...), with a
-- label from the release's dimension_codes (a country's name for an ISO 3166 code, the profile's label of a
-- publisher's own code, none for codes kept as published) and how many figures carry each; the publisher's own
-- totals ('_total') are no code to choose: a sum over the dimension gives them (macros.crossings_near).
with source as (
    select unnest(map_entries(dimensions)) as entry, figures
    from macros.series_figures()   -- the series and how many figures each holds, not every figure
    where cardinality(dimensions) > 0
),
codes as (
    select entry.key as dimension, entry.value as code, sum(figures)::bigint as figures
    from source
    where entry.value <> '_total'
    group by all
),
labelled as (
    select c.dimension, c.code, coalesce(n.label, c.code) as label, c.figures
    from codes c left join dimension_codes n on n.dimension = c.dimension and n.code = c.code
)
select dimension, code, label, figures from labelled order by dimension, label, code
