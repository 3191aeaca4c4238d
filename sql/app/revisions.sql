-- Published figures a publisher revised: old value beside new, with statuses and versions; $dataset null = all.
with revision as (
    select dataset, record_key, field, old_value, new_value, old_status, new_status,
           old_source_id, new_source_id, old_version, new_version
    from revisions
    where $dataset is null or dataset = $dataset
)
select * from revision order by dataset, record_key, field, new_version
