-- Sources marked synthetic: the app labels their data as a synthetic demo on every page.
with source as (
    select dataset, publisher, title, file_name, synthetic from sources
),
filtered as (
    select dataset, publisher, title, file_name from source where synthetic
)
select dataset, publisher, title, file_name from filtered order by dataset, file_name
