-- A line the CSV reader could not split into the header's columns (too many or too few values).
insert into quarantine values (?, ?, ?, ?, ?::json)
