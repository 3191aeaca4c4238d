create table if not exists schema_version (
    version integer primary key,
    file_name varchar not null,
    applied_at timestamp default current_timestamp
)
