-- A public dataset table of the release, written once from the redacted scratch table (helper columns left
-- out): each row cites its source by the source's public id, and a source whose line numbers are 'renumbered'
-- (_source_ids) has its published rows numbered 1..n in file order, so no gap shows where a withheld row sat.
-- Only those rows are numbered (a window over them alone: no extra sort of a large table that needs none).
-- {row_order}: `all`, or for crossings its period first (release_files.ROW_ORDER): a page reading a few years of
-- decades of figures then skips the row groups outside them (DuckDB's min/max per row group).
-- {source}: the scratch table, or for crossings the view that gives each figure its series key (crossings_keyed.sql).
-- Not materialised: each branch below reads the source by itself (at 10M figures, storing it first took 5.6 s).
create table pub.main."{table}" as
with scratch as not materialized (
    select * from "{source}"
),
ids as (
    select source_id, public_id, line_numbers from _source_ids
),
file_lines as (
    select scratch.* replace (ids.public_id as source_id)
    from scratch
    left join ids on ids.source_id = scratch.source_id
    where ids.line_numbers is distinct from 'renumbered'
),
renumbered as (
    select scratch.* replace (
        ids.public_id as source_id,
        row_number() over (partition by scratch.source_id order by scratch.source_line, scratch._rid) as source_line
    )
    from scratch
    join ids on ids.source_id = scratch.source_id
    where ids.line_numbers = 'renumbered'
),
renamed as (
    select * from file_lines
    union all by name
    select * from renumbered
)
select columns(lambda c: not starts_with(c, '_'))
from renamed
order by {row_order}
