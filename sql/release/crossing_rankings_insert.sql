-- The Ranking's answer for one measure choice of the dashboard ($measures: one measure, or the people measures) in
-- its default view: no border, country or dimension filter, each crossing point's last 24 months up to the
-- release's end (sql/app/two_year_macros.sql ranking_rows, with the months_from the app passes: two_year_start_series).
-- The Ranking page and the Overview's busiest crossing points read it (macros.ranking_stored) instead of working
-- out every point's two years at each view. Run with the release as the default catalog and the app's macros
-- attached, after crossing_months_insert.sql; made from the published tables only. No row for a choice without
-- figures: the app then works the (empty) answer out.
insert into crossing_rankings
select list_sort($measures::varchar[]) as measures, *
from macros.ranking_rows(null, null, null, null, null, $measures::varchar[], null,
                         macros.two_year_start_series(null, null, null, null, null, $measures::varchar[], true))
order by location_id
