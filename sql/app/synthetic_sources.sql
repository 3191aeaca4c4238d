-- Sources marked synthetic: the app labels their data as a synthetic demo on every page. With each, how many
-- files its dataset has and how many of them are synthetic, so that a dataset mixing real and invented files
-- (real BTS counts beside invented neighbour counts) is not called invented as a whole.
with source as (
    select dataset, publisher, title, file_name, synthetic from sources
),
per_dataset as (
    select dataset, count(*) as files, count(*) filter (where synthetic) as synthetic_files
    from source
    group by dataset
),
filtered as (
    select s.dataset, s.publisher, s.title, s.file_name, d.files, d.synthetic_files
    from source s
    join per_dataset d using (dataset)
    where s.synthetic
)
select dataset, publisher, title, file_name, files, synthetic_files from filtered order by dataset, file_name
