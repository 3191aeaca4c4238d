update sources set rows_read = ?, rows_loaded = ?, rows_quarantined = ? where source_id = ?
