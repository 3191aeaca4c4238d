insert into schema_version (version, file_name) values (?, ?)
