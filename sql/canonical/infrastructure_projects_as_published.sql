-- Loaded projects whose funders cell is not loaded item for item as published: items trimmed of spaces, empty items
-- dropped, null items of a JSON array dropped, or a cell of spaces loaded as missing. Kept in the working database.
insert into cells_as_published (source_id, source_line, dataset, field, as_published)
with source as (
    select _line, funders, funders_as_published, funders_list
    from _typed
    where len(reasons) = 0
),
changed as (
    select _line, funders_as_published
    from source
    where funders_as_published is not null
      and (funders_as_published is distinct from funders
           or (bl_given(funders, $withheld, $missing)
               and bl_text_list_as_written(funders) is distinct from funders_list))
)
select
    $source_id as source_id,
    _line as source_line,
    'infrastructure_projects' as dataset,
    'funders' as field,
    funders_as_published as as_published
from changed
