"""Export: extract files (CSV, Parquet, GeoJSON) and their data package, from a release or a working database (sql/export)."""
