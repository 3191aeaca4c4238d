with source as (
    select dataset, field, old_source_id, new_source_id from revisions
)
select dataset, field, old_source_id, new_source_id, count(*) as values_revised
from source
group by all
order by dataset, field
