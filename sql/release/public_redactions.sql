-- The redactions table of the release: one row per rule x dataset x field x publisher (and publisher-withheld).
create table pub.main.redactions as
with source as (
    select * from _redactions
)
select *
from source
order by all
