-- A coarsened row's check against its country was made on the exact place (host_country.py): never published.
update "{table}"
set location_outside_country = null,
    outside_country_km = null
where location_cell_geojson is not null
