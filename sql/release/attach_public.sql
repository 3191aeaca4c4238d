-- The new release's database file, written once from already-redacted tables.
attach $path as pub
