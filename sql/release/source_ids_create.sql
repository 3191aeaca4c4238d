-- The public identity of each source (issue 15: no function of protected bytes in a release): its public id
-- (keyed by code: the HMAC of the file hash, or the plain id for an input declared public), the file hash only
-- for such an input, and how its rows' source_line is published: 'file' (the line in the file), or
-- 'renumbered' (1..n in file order) when the release leaves out rows of a non-public source (an embargo), so
-- that no gap shows where a withheld row sat.
create or replace table _source_ids as
with keyed as (
    select unnest($source_ids) as source_id, unnest($public_ids) as public_id
),
sources as (
    select source_id, sha256, coalesce(public, false) as public
    from work.main.sources
),
loaded as (
    select source_id from work.main.crossings
    union all
    select source_id from work.main.exercise_notices
    union all
    select source_id from work.main.infrastructure_projects
),
kept as (
    select source_id from crossings
    union all
    select source_id from exercise_notices
    union all
    select source_id from infrastructure_projects
),
loaded_rows as (
    select source_id, count(*) as rows from loaded group by source_id
),
kept_rows as (
    select source_id, count(*) as rows from kept group by source_id
),
joined as (
    select
        s.source_id,
        cast(k.public_id as varchar) as public_id,
        case when s.public then s.sha256 end as sha256,
        s.public,
        case when not s.public and coalesce(kr.rows, 0) < coalesce(lr.rows, 0) then 'renumbered' else 'file' end
            as line_numbers
    from sources as s
    join keyed as k on k.source_id = s.source_id
    left join loaded_rows as lr on lr.source_id = s.source_id
    left join kept_rows as kr on kr.source_id = s.source_id
)
select *
from joined
order by source_id
