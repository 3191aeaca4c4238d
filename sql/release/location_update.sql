-- Put each matched location in its cell: lat/lon become the cell centre, the geometry becomes the cell polygon.
-- {geom} and {geom_set} are fixed fragments from data_pipeline.publish.release (empty for crossings).
update "{table}" as t
set lat = c.new_lat,
    lon = c.new_lon,
    {geom_set}
    location_cell_geojson = c.cell_geojson,
    location_precision = c.precision,
    _cell_km = c.cell_km,
    _touched = list_concat(t._touched, $fields)
from _location_cells as c
where t."{flag}"
  and (t._cell_km is null or t._cell_km < c.cell_km)
  and t.lat is not distinct from c.src_lat
  and t.lon is not distinct from c.src_lon
  and {geom} is not distinct from c.src_geom
