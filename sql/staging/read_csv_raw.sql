-- The publisher's file as text. Rows that do not split into the header's columns go to reject_errors.
create temp table _raw as
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
