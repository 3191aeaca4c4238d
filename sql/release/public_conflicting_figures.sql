-- How many figures each source's file gave conflicting values for (rows with one key and different values, all
-- quarantined as conflicting_duplicate), per measure and period, so that a page can say that figures are absent
-- and why. Counts only: no value, no line, no crossing point (a policy may hide where a figure was counted). Only
-- for the sources in the release and the periods between the first and last that the release publishes for them
-- (a period the policy embargoes is not announced here either); sources are cited by their public id.
create table pub.main.conflicting_figures as
with source as (
    select * from work.main.conflicting_figures
),
published as (
    select source_id, min(period_start) as first_period, max(period_start) as last_period
    from crossings
    group by source_id
),
ids as (
    select source_id, public_id from _source_ids
),
counted as (
    select
        ids.public_id as source_id, c.dataset, c.measure, c.period_start, c.period_granularity,
        count(*) as figures
    from source as c
    join published as p on p.source_id = c.source_id
        and c.period_start between p.first_period and p.last_period
    join ids on ids.source_id = c.source_id
    group by all
)
select *
from counted
order by source_id, measure, period_start, period_granularity
