-- Countries from pycountry (ISO 3166-1) plus Kosovo (XKX), with their Natural Earth 110m extent where NE has
-- the country; handed over as the registered frame geo_countries_input.
insert into countries (iso3, iso2, name, note, min_lon, min_lat, max_lon, max_lat)
with source as (
    select * from geo_countries_input
),
renamed as (
    select
        cast(iso3 as varchar) as iso3,
        cast(iso2 as varchar) as iso2,
        cast(name as varchar) as name,
        cast(note as varchar) as note,
        cast(min_lon as double) as min_lon,
        cast(min_lat as double) as min_lat,
        cast(max_lon as double) as max_lon,
        cast(max_lat as double) as max_lat
    from source
)
select iso3, iso2, name, note, min_lon, min_lat, max_lon, max_lat from renamed
