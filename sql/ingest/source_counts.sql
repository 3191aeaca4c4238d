-- Per source: what was staged, loaded and quarantined (the reader's rejected lines are added by the caller).
with staged as (
    select count(*) as n from _stg
),
loaded as (
    select count(*) as n from _incoming
),
quarantined as (
    select count(*) as n from quarantine where source_id = $source_id
)
select staged.n, loaded.n, quarantined.n
from staged, loaded, quarantined
