-- Measures in the release's crossing figures, most common first (for the measure choices).
with source as (
    select measure, count(*) as figures from crossings group by measure
)
select measure, figures from source order by figures desc, measure
