insert into _vocab values (?, ?, ?)
