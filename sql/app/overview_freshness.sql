-- Freshness per dataset: the latest period or date in the release and the sources behind it. A date after the
-- release's own (a planned start, an announced exercise) says nothing about how fresh the data is: "latest" is
-- the latest date on or before the release date.
with release_day as (
    select try_cast(value as date) as day from release_info where key = 'created'
),
crossing_span as (
    select 'crossings' as dataset, max(period_start)::date as latest, min(period_start)::date as earliest,
           count(*) as records from crossings
),
notice_span as (
    select 'exercise_notices',
           (select max(d) from (select unnest([notified_on, start_date]) as d from exercise_notices)
            where d <= coalesce((select day from release_day), d))::date,
           min(least(notified_on, start_date))::date, count(*)
    from exercise_notices
),
project_span as (
    select 'infrastructure_projects',
           (select max(d) from (select unnest([planned_start, actual_start, actual_end]) as d
                                from infrastructure_projects)
            where d <= coalesce((select day from release_day), d))::date,
           min(least(planned_start, actual_start))::date, count(*)
    from infrastructure_projects
),
spans as (
    select * from crossing_span union all select * from notice_span union all select * from project_span
),
source_counts as (
    select dataset, count(*) as sources, string_agg(distinct publisher, '; ' order by publisher) as publishers,
           bool_or(synthetic) as synthetic
    from sources group by dataset
)
select s.dataset, s.earliest, s.latest, s.records, c.sources, c.publishers, coalesce(c.synthetic, false) as synthetic
from spans s left join source_counts c on c.dataset = s.dataset
order by s.dataset
