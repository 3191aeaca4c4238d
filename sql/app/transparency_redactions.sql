-- What the release withholds, per rule, dataset, field and publisher, with the policy's reason (no values).
-- A coarsened location is recorded once per coordinate field; it is one place, so it is shown once.
with source as (
    select * from redactions
),
shaped as (
    select rule_id, action, dataset,
           case when action = 'coarsen_location' then 'location' else field end as field,
           coalesce(publisher, '(unknown publisher)') as publisher, reason, rows_affected, k, precision,
           precision_km, detail
    from source
    where rows_affected > 0
)
select rule_id, action, dataset, field, publisher, any_value(reason) as reason, max(rows_affected) as rows_affected,
       any_value(k) as k, precision, any_value(precision_km) as precision_km, detail
from shaped
group by rule_id, action, dataset, field, publisher, precision, detail
order by dataset, field, action, publisher, rule_id, precision, detail
