"""Geography: the Natural Earth reference (countries, borders, basemap) and each place's nearest border and distance
to it, derived at ingest and used by publish to coarsen locations (sql/geo)."""
