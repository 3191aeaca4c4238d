-- The cell sizes the policy coarsened locations to (precision code -> about how many km across).
with source as (
    select precision, precision_km from redactions where precision is not null and precision_km is not null
)
select precision, max(precision_km) as precision_km from source group by precision
