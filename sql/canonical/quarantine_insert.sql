-- Rows that failed validation, with their reasons and the publisher's own record (for a wide layout, the whole
-- line plus the column the failed cell came from).
insert into quarantine
with failed as (
    select _rid, _line, _column, reasons from _typed where len(reasons) > 0
),
raw_records as (
    select rowid as _rid, to_json(r) as raw_record from _raw r
)
select
    $source_id,
    $dataset,
    f._line,
    f.reasons,
    case when f._column is null then rr.raw_record
         else json_merge_patch(rr.raw_record, json_object('_column', f._column)) end
from failed f
join raw_records rr using (_rid)
