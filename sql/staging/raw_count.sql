select count(*) from _raw
