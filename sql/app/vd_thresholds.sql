-- The Vienna Document thresholds this release uses (copied from the working database by publish).
with source as (
    select paragraph, metric, operator, value, applies_to, description from vd_thresholds
)
select paragraph, metric, operator, value, applies_to, description
from source
order by string_split(paragraph, '.')[1]::int, paragraph, applies_to, metric
