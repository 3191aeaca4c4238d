select count(*) from crossing_facts
