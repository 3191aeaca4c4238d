-- The working value of each crossing cell, kept beside the one rules change (helper column, never published):
-- the suppression audit needs the true margin totals an attacker might know.
create or replace table crossings as
with source as (
    select * from crossings
)
select *, value as _true_value
from source
