-- A public table of the release, written once from the redacted scratch table (helper columns left out).
create table pub.main."{table}" as
with source as (
    select columns(lambda c: not starts_with(c, '_')) from "{table}"
)
select *
from source
order by all
