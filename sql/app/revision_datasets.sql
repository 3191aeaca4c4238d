-- The datasets that have revisions in the release, with how many.
with revision as (
    select dataset from revisions
)
select dataset, count(*) as revisions from revision group by dataset order by dataset
