select count(*) from crossings
