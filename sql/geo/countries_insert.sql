-- Countries from pycountry (ISO 3166-1) plus Kosovo (XKX), handed over as the registered frame geo_countries_input.
insert into countries (iso3, iso2, name, note)
with source as (
    select * from geo_countries_input
),
renamed as (
    select
        cast(iso3 as varchar) as iso3,
        cast(iso2 as varchar) as iso2,
        cast(name as varchar) as name,
        cast(note as varchar) as note
    from source
)
select iso3, iso2, name, note from renamed
