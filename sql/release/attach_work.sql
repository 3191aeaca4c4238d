-- The operator's working database, attached read-only: publishing never writes to it.
attach $path as work (read_only)
