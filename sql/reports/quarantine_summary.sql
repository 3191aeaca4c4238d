with source as (
    select source_id, unnest(reasons) as reason from quarantine
)
select source_id, reason, count(*) as rows
from source
group by source_id, reason
order by source_id, rows desc, reason
