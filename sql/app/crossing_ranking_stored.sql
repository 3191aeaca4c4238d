-- crossing_ranking.sql's answer for the default view, as publish stored it for each measure choice (the release's
-- crossing_rankings: no border, country or dimension filter, each point's two years up to the release's end; the
-- same answer for any $date_to on or after the last day of the latest month a series has). No row when the choice
-- is not stored (the caller then runs crossing_ranking.sql).
select * exclude (measures)
from crossing_rankings
where measures = list_sort($measures::varchar[])
order by last_12 desc nulls last, location_id
