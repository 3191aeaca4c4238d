-- Macros of each owner's (a reporter's, a crossing point's) last 12 complete months against the 12 before, which the
-- Overview and the Ranking print: where they start (two_year_start), the months compared (month_comparisons,
-- latest_two_years), the sums per reporter and month (summed_reporter_months, or the release's
-- crossing_reporter_months: reporter_month_sums), the totals (two_year_totals) and the ranked crossing points
-- (ranking_rows). Run after sql/app/crossing_month_macros.sql (data_pipeline.db.APP_MACROS).

-- The month from which covered_crossings must return rows for latest_two_years (its months_from): the earliest,
-- over owners (a reporter, or a crossing point when by_location), of the owner's latest month with a daily or
-- monthly figure on or before last_month, less 26 months (its 24 months end at its latest complete month). Never
-- later than the exact answer: inbound_first may drop an owner's outbound figures, so where an owner's latest
-- figures are outbound its latest other figure counts, and for an owner with outbound figures only its first.
create or replace macro macros.two_year_start(border_a, border_b, countries, dim_names, dim_codes, measures,
                                              last_month, by_location) as (
    select (min(case when latest_kept = latest then latest else coalesce(latest_kept, earliest) end)
            - interval 26 month)::date
    from (
        select case when by_location then location_id else coalesce(reporter_iso3, reporter_org) end as owner,
               max(date_trunc('month', period_start)) as latest,
               max(date_trunc('month', period_start)) filter (where direction <> 'outbound') as latest_kept,
               min(date_trunc('month', period_start)) as earliest
        from macros.crossings_near(border_a, border_b, countries, dim_names, dim_codes)
        where period_granularity in ('day', 'month') and macros.charted(period_start)
          and (measures is null or list_contains(measures, measure))
          and (last_month is null or period_start <= last_month)
        group by owner
    )
);

-- The same month read from the release's crossing_series (one row per series, with its first and last month)
-- instead of the figures: equal to two_year_start when its last_month is on or after the last day of the series'
-- latest month (the Overview's and the Ranking's default period ends there), since then no figure is cut off, and
-- crossings_near only leaves out a figure whose publisher's total of the same owner and month it keeps.
create or replace macro macros.two_year_start_series(border_a, border_b, countries, dim_names, dim_codes, measures,
                                                     by_location) as (
    select (min(case when latest_kept = latest then latest else coalesce(latest_kept, earliest) end)
            - interval 26 month)::date
    from (
        select case when by_location then location_id else coalesce(reporter_iso3, reporter_org) end as owner,
               max(charted_to) as latest,
               max(charted_to) filter (where direction <> 'outbound') as latest_kept,
               min(charted_from) as earliest
        from crossing_series
        where period_granularity in ('day', 'month')
          and macros.on_border(country_iso3, neighbor_iso3, border_a, border_b)
          and (countries is null or list_contains(countries, country_iso3) or list_contains(countries, neighbor_iso3))
          and macros.dimensions_match(dimensions, dim_names, dim_codes)
          and (measures is null or list_contains(measures, measure))
        group by owner
    )
);

-- The rows of covered_crossings in the CTE named by `cells` with what latest_two_years reads of each month:
-- complete_month, the month's own first day when its figures are complete (a monthly figure; a daily figure's month
-- when its last day is in), else the month before; value_paired and value_before_paired, for a month whose figures
-- are all published and whose same figure 12 months earlier is too (paired_year_before), both values (sums of those
-- compare like with like); figures_paired, how many such pairs (1 or 0).
create or replace macro macros.month_comparisons(cells) as table
    select *,
           case when last_day = period_start or last_day = last_day(period_start) then period_start
                else (period_start - interval 1 month)::date end as complete_month,
           case when published = figures and paired_year_before is not null then value end as value_paired,
           case when published = figures then paired_year_before end as value_before_paired,
           (published = figures and paired_year_before is not null)::bigint as figures_paired
    from query_table(cells);

-- covered_crossings summed per reporter, measure and month, each flow once (not mirrored_outbound), with
-- month_comparisons' columns summed too (complete_month: the latest over the rows with figures; absent: no row of
-- the month has figures). The release's crossing_reporter_months holds it for the whole release
-- (sql/release/crossing_reporter_months_insert.sql); reporter_month_sums reads that where it may.
create or replace macro macros.summed_reporter_months(border_a, border_b, countries, dim_names, dim_codes, measures,
                                                      location, first_month, last_month, months_from) as table
    with flows as (
        select *
        from macros.covered_crossings(border_a, border_b, countries, dim_names, dim_codes, measures, location,
                                      first_month, last_month, months_from)
        where not mirrored_outbound
    ),
    compared as (
        select * from macros.month_comparisons('flows')
    )
    select reporter, measure, period_start, sum(value) as value, sum(figures)::bigint as figures,
           sum(published)::bigint as published, sum(withheld)::bigint as withheld, sum(missing)::bigint as missing,
           bool_and(absent) as absent, max(complete_month) filter (where not absent) as complete_month,
           sum(value_paired) as value_paired, sum(value_before_paired) as value_before_paired,
           sum(figures_paired)::bigint as figures_paired
    from compared
    group by reporter, measure, period_start;

-- True when summed_reporter_months' rows may be read from the release's crossing_reporter_months: the filters are
-- the measures only (the table has a row for every key of every measure in every month the release covers), and
-- the months are not cut (no first_month; last_month, when given, on or after the last day of the release's last
-- month; months_from a month's first day), so that the same keys are expected in the same months.
create or replace macro macros.reporter_months_stored(border_a, countries, dim_names, location, first_month,
                                                      last_month, months_from) as
    border_a is null and countries is null and dim_names is null and location is null and first_month is null
    and macros.whole_months(dim_names, first_month, last_month, months_from)
    and (last_month is null
         or last_month::date >= (select last_day(max(period_start)) from crossing_reporter_months));

-- summed_reporter_months, from the release's crossing_reporter_months where reporter_months_stored allows: the
-- months of the chosen measures from their first month with figures (or months_from, where a key has figures
-- before it) to their last, as covered_crossings expects each key in them. (10M figures: the Overview's crossings
-- statement and Trends' same-months statement read a few thousand rows instead of summing 1.5M and 10M.)
create or replace macro macros.reporter_month_sums(border_a, border_b, countries, dim_names, dim_codes, measures,
                                                   location, first_month, last_month, months_from) as table
    with stored as (
        select *
        from crossing_reporter_months
        where macros.reporter_months_stored(border_a, countries, dim_names, location, first_month, last_month,
                                            months_from)
          and (measures is null or list_contains(measures, measure))
    ),
    stored_span as (
        -- from the measures' first month with figures, or months_from when a key has figures before it
        select greatest(min(period_start) filter (where not absent), months_from::date) as from_month,
               max(period_start) filter (where not absent) as to_month
        from stored
    )
    select s.* exclude (paired_in_span) replace (
               -- a pair whose earlier month is cut off (before months_from) is none here, as in covered_crossings
               case when paired_in_span then value_paired end as value_paired,
               case when paired_in_span then value_before_paired end as value_before_paired,
               case when paired_in_span then figures_paired else 0 end as figures_paired)
    from (select *, months_from is null or (period_start - interval 12 month)::date >= months_from as paired_in_span
          from stored) s
    join stored_span b on s.period_start between b.from_month and b.to_month
    union all
    select *
    from macros.summed_reporter_months(border_a, border_b, countries, dim_names, dim_codes, measures, location,
                                       first_month, last_month, months_from)
    where not macros.reporter_months_stored(border_a, countries, dim_names, location, first_month, last_month,
                                            months_from);

-- The last 12 complete months and the 12 before of each owner in the CTE named by `cells` (rows of
-- month_comparisons or reporter_month_sums, each flow once (not mirrored_outbound), with a column `owner`: whose
-- months they are, a reporter or a crossing point). An owner's months end at its latest complete month with a
-- published or withheld row (complete_month); its absent rows after that are left out. Each row says its window
-- ('last', 'previous').
create or replace macro macros.latest_two_years(cells) as table
    with owner_latest as (
        select owner, max(complete_month) as latest_month
        from query_table(cells)
        where not absent
        group by owner
    )
    select c.*, o.latest_month,
           case when c.period_start > o.latest_month - interval 12 month then 'last' else 'previous' end
               as period_window
    from query_table(cells) c join owner_latest o on o.owner is not distinct from c.owner
    where c.period_start <= o.latest_month and c.period_start > o.latest_month - interval 24 month;

-- latest_two_years summed per owner and part (the CTE named by `cells` also has a column `part`: what an owner's
-- figures are split by, e.g. the measure; a constant for none): both totals (NULL over no published figure),
-- the figures, withheld and missing counts of each year, the like-with-like sums of the last 12 months
-- (compared_last, compared_previous: each figure and its same figure 12 months earlier, which is then in the 12
-- months before) and how many figures they pair, and the reporters with a figure in the two years.
create or replace macro macros.two_year_totals(cells) as table
    select owner, part, any_value(latest_month) as latest_month,
           sum(value) filter (where period_window = 'last') as last_12,
           sum(value) filter (where period_window = 'previous') as previous_12,
           coalesce(sum(figures) filter (where period_window = 'last'), 0) as figures_last,
           coalesce(sum(withheld) filter (where period_window = 'last'), 0) as withheld_last,
           coalesce(sum(missing) filter (where period_window = 'last'), 0) as missing_last,
           coalesce(sum(figures) filter (where period_window = 'previous'), 0) as figures_previous,
           coalesce(sum(withheld) filter (where period_window = 'previous'), 0) as withheld_previous,
           coalesce(sum(missing) filter (where period_window = 'previous'), 0) as missing_previous,
           sum(value_paired) filter (where period_window = 'last') as compared_last,
           sum(value_before_paired) filter (where period_window = 'last') as compared_previous,
           coalesce(sum(figures_paired) filter (where period_window = 'last'), 0)::bigint as figures_compared,
           count(distinct reporter) filter (where not absent) as reporters
    from macros.latest_two_years(cells)
    group by owner, part;

-- Crossing points ranked (sql/app/crossing_ranking.sql): for each crossing point with figures of the measures (a
-- list) of a border and countries, its last 12 complete months up to date_to (latest_two_years, each point's own
-- months) against the 12 before, the figures published in both years (compared_last, compared_previous), and how
-- many figures are withheld or missing (covered_crossings). Each flow once (the inbound side's figures); a point both
-- sides report takes its name and countries from the inbound side. months_from: as for covered_crossings
-- (two_year_start). Publish stores its answer for the default view in the release's crossing_rankings
-- (sql/release/crossing_rankings_insert.sql).
create or replace macro macros.ranking_rows(border_a, border_b, countries, dim_names, dim_codes, measures, date_to,
                                            months_from) as table
    with source as materialized (
        select *, location_id as owner, '' as part
        from macros.covered_crossings(border_a, border_b, countries, dim_names, dim_codes, measures, null, null,
                                      date_to, months_from)
    ),
    flows as (
        select * from source where not mirrored_outbound   -- each flow once: the inbound side's figures
    ),
    deduplicated as (
        select * from macros.month_comparisons('flows')
    ),
    flow_keys as (
        -- the keys with rows: what names a crossing point is constant per key
        select any_value(location_id) as location_id, any_value(location_name) as location_name,
               any_value(direction) as direction, any_value(country_iso3) as country_iso3,
               any_value(neighbor_iso3) as neighbor_iso3
        from flows
        group by series_key
    ),
    named as (
        select location_id, macros.inbound_side(location_name, direction, country_iso3) as location_name,
               macros.inbound_side(country_iso3, direction, country_iso3) as country_iso3,
               macros.inbound_side(neighbor_iso3, direction, country_iso3) as neighbor_iso3
        from flow_keys
        group by location_id
    )
    select t.owner as location_id, n.location_name, n.country_iso3, n.neighbor_iso3, t.latest_month, t.last_12,
           t.previous_12, t.figures_last, t.withheld_last, t.missing_last, t.figures_previous, t.withheld_previous,
           t.missing_previous, t.compared_last, t.compared_previous, t.figures_compared, t.reporters
    from macros.two_year_totals('deduplicated') t
    join named n on n.location_id is not distinct from t.owner;
