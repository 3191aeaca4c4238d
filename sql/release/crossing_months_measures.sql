-- The measures of the release's crossing_months (the figures of day and month periods), each once: the measure
-- choices whose Ranking publish stores (crossing_rankings_insert.sql).
select distinct measure from crossing_months order by measure
