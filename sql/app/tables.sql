-- The tables present in the release (to tell a reader which parts of the contract a release lacks).
with source as (
    select table_name from information_schema.tables
)
select table_name from source order by table_name
