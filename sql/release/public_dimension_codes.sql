-- The codes of each dimension the published crossing figures are broken down by, with a label to show beside the
-- code (the URL and the extracts keep the code): the profile's own label where it gives one; for a code list such
-- as ISO 3166, the country's name from the countries table (pycountry, with Kosovo as XKX), and for a code beyond
-- the list that the publisher keeps ($beyond_list, e.g. Frontex's OOO) no meaning borderlens would have to guess;
-- codes kept as published without a code list (border types, categories) have no label. Only codes of published
-- rows (an embargoed row's code is not announced); a publisher's own total ('_total') is no code here.
create table pub.main.dimension_codes as
with entries as (
    select source_id, unnest(map_entries(dimensions)) as entry
    from crossings
    where cardinality(dimensions) > 0
),
codes as (
    select distinct source_id, entry.key as dimension, entry.value as code
    from entries
    where entry.value <> '_total'
),
lists as (
    select source_id, dimension, code_list, labels from work.main.dimension_code_lists
),
labelled as (
    select c.dimension, c.code,
           coalesce(l.labels[c.code],
                    case when l.code_list = 'iso3166' then coalesce(n.name, $beyond_list) end) as label,
           case when l.labels[c.code] is not null then 'profile'
                when l.code_list = 'iso3166' and n.name is not null then 'countries'
                when l.code_list = 'iso3166' then 'beyond_list' end as label_source
    from codes c
    left join lists l on l.source_id = c.source_id and l.dimension = c.dimension
    left join work.main.countries n on n.iso3 = c.code
)
select dimension, code, min(label) as label, min(label_source) as label_source
from labelled
group by dimension, code
order by dimension, code
