-- A coarsened row's nearest border and distance were measured from the exact place: never published.
update "{table}"
set "{border}" = null,
    distance_to_border_km = null
where location_cell_geojson is not null
