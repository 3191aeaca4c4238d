-- The release's redactions: what each policy rule withheld, per dataset, field and publisher (no values).
with source as (
    select * from redactions
)
select * from source
