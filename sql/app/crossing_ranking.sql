-- Crossing points ranked: for each crossing point with figures of the chosen measures (border and countries
-- filters apply), its last 12 complete months (up to $date_to: macros.latest_two_years, each point's own months)
-- against the 12 months before, the figures published in both years (compared_last, compared_previous: the same
-- measure, direction, reporter and month a year apart, the like-with-like change), and how many figures are
-- withheld or missing (a month a publisher left without a figure: macros.covered_crossings). Where two reporters
-- count the same flow, only the inbound figure counts; a point both sides report takes its name and countries
-- from the inbound side. Sums over no published figure are NULL, never 0 (macros.ranking_rows). The default view
-- reads the answer publish stored instead (crossing_ranking_stored.sql).
-- $months_from: the first month read (two_year_start.sql), a constant, so older row groups are skipped.
select *
from macros.ranking_rows($border_a, $border_b, $countries, $dim_names, $dim_codes, $measures, $date_to, $months_from)
order by last_12 desc nulls last, location_id
