-- The publisher's file as text. Rows that do not split into the header's columns go to reject_errors.
-- Stored in the scratch database (staging.SCRATCH), compressed: cheap to hold and fast to compute on.
create table _bl_scratch.main._raw as
select *
from read_csv(
    $1,
    all_varchar = true,
    header = true,
    delim = $2,
    quote = $3,
    escape = $3,
    encoding = $4,
    skip = $5,
    store_rejects = true,
    auto_detect = true
)
