-- Revisions whose old and new values both pass the policy: the record is in the release; the field was not
-- changed by a rule in the released row; no rule names the field, except suppress_below when both the old
-- and the new value reach k. Detection times stay in the working database; sources are cited by public id.
create table pub.main.revisions as
with source as (
    select * from work.main.revisions
),
series as (
    select source_id, series_id from work.main.sources
),
published as (
    select
        'crossings' as dataset,
        concat_ws('|', coalesce(reporter_iso3, reporter_org), location_id, direction, period_start::varchar,
                  period_granularity, measure) as record_key,
        cast(null as varchar) as series_id,
        _touched
    from crossings
    union all
    select 'exercise_notices', n.notice_id, s.series_id, n._touched
    from exercise_notices as n
    join series as s using (source_id)
    union all
    select 'infrastructure_projects', p.project_id, s.series_id, p._touched
    from infrastructure_projects as p
    join series as s using (source_id)
),
candidates as (
    select r.*, s.series_id as new_series_id
    from source as r
    left join series as s on s.source_id = r.new_source_id
),
kept as (
    select c.*
    from candidates as c
    join published as p
      on p.dataset = c.dataset
     and p.record_key = c.record_key
     and (p.series_id is null or p.series_id = c.new_series_id)
    where not list_contains(p._touched, c.field)
      and not list_contains(p._touched, regexp_replace(c.field, '_status$', ''))
      and not exists (
          select 1
          from _ruled_fields as u
          where u.dataset = c.dataset
            and u.field = c.field
            and (u.k is null
                 or coalesce(try_cast(c.old_value as double) < u.k, false)
                 or coalesce(try_cast(c.new_value as double) < u.k, false))
      )
),
renamed as (
    select
        k.dataset, k.record_key, k.field, k.old_value, k.new_value, k.old_status, k.new_status,
        o.public_id as old_source_id, n.public_id as new_source_id, k.old_version, k.new_version
    from kept as k
    left join _source_ids as o on o.source_id = k.old_source_id
    left join _source_ids as n on n.source_id = k.new_source_id
)
select *
from renamed
order by all
