-- The measures whose figures are broken down by the dimension $dimension, most figures first.
with source as (
    select measure, count(*) as figures
    from crossings
    where dimensions[$dimension] is not null
    group by measure
)
select measure, figures from source order by figures desc, measure
