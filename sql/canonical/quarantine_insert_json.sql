-- JSON sources: the record as the publisher wrote it.
insert into quarantine
with failed as (
    select _rid, _line, reasons from _typed where len(reasons) > 0
)
select $source_id, $dataset, f._line, f.reasons, r.rec::json
from failed f
join _raw r on r.idx = f._rid
