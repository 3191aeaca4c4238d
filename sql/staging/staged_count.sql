select count(*) from _stg
