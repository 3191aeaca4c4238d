-- Remove the borders of one source before reloading them (load_borders is idempotent).
delete from borders where source = ?
