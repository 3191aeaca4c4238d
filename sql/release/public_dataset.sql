-- A public dataset table of the release, written once from the redacted scratch table (helper columns left
-- out): each row cites its source by the source's public id, and a source whose line numbers are 'renumbered'
-- (_source_ids) has its published rows numbered 1..n in file order, so no gap shows where a withheld row sat.
create table pub.main."{table}" as
with scratch as (
    select * from "{table}"
),
ids as (
    select source_id, public_id, line_numbers from _source_ids
),
renamed as (
    select scratch.* replace (
        ids.public_id as source_id,
        case
            when ids.line_numbers = 'renumbered'
                then row_number() over (partition by scratch.source_id order by scratch.source_line, scratch._rid)
            else scratch.source_line
        end as source_line
    )
    from scratch
    left join ids on ids.source_id = scratch.source_id
)
select columns(lambda c: not starts_with(c, '_'))
from renamed
order by all
