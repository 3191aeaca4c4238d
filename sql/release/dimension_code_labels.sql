-- The label of each dimension code of a release (its dimension_codes table, made at publish time), for the
-- categories of the dimension_<name> columns in datapackage.json. Codes without a label (kept as published without
-- a code list) are left out: their category is the code alone.
with source as (
    select dimension, code, label from dimension_codes
),
labelled as (
    select dimension, code, label from source where label is not null
)
select dimension, code, label
from labelled
order by dimension, code
