-- One declared dimension of this file's profile: its code list and the labels the profile gives its codes.
insert into dimension_code_lists
with source as (
    select $source_id as source_id, $dimension as dimension, $code_list::varchar as code_list,
           map($label_codes::varchar[], $label_texts::varchar[]) as labels
)
select source_id, dimension, code_list, labels from source
