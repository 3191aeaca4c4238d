-- Figures withheld from the release because the publisher gave conflicting values for them (rows of one file with
-- one key and different values, quarantined as conflicting_duplicate: which is right is unknown), for the chosen
-- measures in the period shown. The release counts them per source, measure and period, over every crossing point
-- and border of the file: the border, country and crossing point filters cannot narrow them. Counts only; the
-- values are never in a release.
with source as (
    select * from conflicting_figures
),
sources as (
    select source_id, publisher from main.sources
),
chosen as (
    select c.figures, s.publisher
    from source as c
    left join sources as s using (source_id)
    where ($measures is null or list_contains($measures, c.measure))
      and ($date_from is null or c.period_start >= $date_from)
      and ($date_to is null or c.period_start <= $date_to)
)
select
    coalesce(sum(figures), 0)::bigint as figures,
    coalesce(string_agg(distinct publisher, '; ' order by publisher), '') as publishers
from chosen
