-- How many rows a rule affects, per publisher ({predicate}: quoted columns and ? placeholders only).
with source as (
    select _publisher, {predicate} as hit
    from "{table}"
),
hits as (
    select _publisher as publisher
    from source
    where hit
)
select publisher, count(*) as rows_affected
from hits
group by publisher
order by publisher
