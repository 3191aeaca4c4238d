-- Macros shared by the statements in sql/app/: the sidebar's filters, the count of a flow reported by both
-- sides, and the map's grid cells, each defined once. Not a statement to run by name: data_pipeline/views/queries.py
-- runs this file once per release connection, into an in-memory catalog `macros` attached beside the read-only
-- release, and a statement calls them by that name: `from macros.filtered_notices($date_from, $date_to, ...)`.
-- A statement passes its $parameters as the arguments, so `border_a is null` below is `$border_a is null` there:
-- a NULL border, list or distance means no filter.
-- A macro that works on rows the statement has chosen takes the name of one of the statement's CTEs, read with
-- query_table; the CTE names used inside the macro cannot be that name (outbound, outbound_keys, mirrored; placed,
-- located, base_cells, spread, chosen, extent). The Vienna Document rules are in sql/app/vd_macros.sql, run first
-- (publish runs that file alone to store the verdicts).
-- DuckDB checks a macro against the release when it is created: one that calls another comes after it.

-- The span of dates the app draws as time (the period filter, charts, the Python date of a month). A date outside
-- it (a typo such as 'Jan 0000', year 1 BC, or year 1200 that ingest let through) is offered in no filter, so it
-- is in no date-filtered view; tables that show it show it as text (see macros.date_text).
create or replace macro macros.first_charted_day() as date '1900-01-01';
create or replace macro macros.last_charted_day() as date '2199-12-31';
create or replace macro macros.charted(d) as d between macros.first_charted_day() and macros.last_charted_day();

-- The crossing figures counted by the columns of their series (the two countries, measure, dimension codes,
-- place kind; statuses: value_status -> figures): the release's crossing_series, which counts each series'
-- figures the app draws as time, plus each figure dated outside those years (or undated) as a series of one. The
-- sidebar's lists and the Overview's withheld counts read it instead of every figure (10M figures: borders 55 -> 9
-- ms); the far dates are in row groups of their own, so finding them reads little.
create or replace macro macros.series_figures() as table
    select country_iso3, neighbor_iso3, measure, dimensions, place_kind, figures, statuses from crossing_series
    union all
    select country_iso3, neighbor_iso3, measure, dimensions, place_kind, 1, map([value_status], [1::ubigint])
    from crossings
    where period_start < macros.first_charted_day() or period_start > macros.last_charted_day()
       or period_start is null;

-- True when the two countries iso3_a, iso3_b (in either order) are the border chosen: border_a, border_b, a
-- sorted ISO3 pair; always true when none is (border_a NULL).
create or replace macro macros.on_border(iso3_a, iso3_b, border_a, border_b) as
    border_a is null or (iso3_a = border_a and iso3_b = border_b) or (iso3_a = border_b and iso3_b = border_a);

-- True when a crossing figure's dimensions (a MAP name -> code) match the dimension filter: dim_names, the
-- dimensions chosen (a list; NULL: no filter), and dim_codes, the codes chosen as 'name=code' texts. A figure
-- without a chosen dimension (a crossing point counted without a nationality breakdown) does not match it.
create or replace macro macros.dimensions_match(dimensions, dim_names, dim_codes) as
    dim_names is null
    or len(list_filter(dim_names,
                       lambda chosen_name: not list_contains(dim_codes, chosen_name || '=' ||
                                                             coalesce(dimensions[chosen_name], '')))) = 0;

-- Crossing figures of a border (the reporting side and its neighbour; border_a NULL: any), of countries (a
-- list of ISO3 codes, NULL: all; the reporting side or its neighbour) and of the dimension codes chosen
-- (dimensions_match), any dates; every column of crossings. Figures are never counted twice across a dimension:
-- where the publisher gave its own total over a dimension that is not filtered (the code '_total', docs/profiles.md)
-- that total stands for its parts, and the parts it covers (same key, same codes in every other dimension) are
-- left out of sums; where it gave none, the parts add up to the total. `near` is read three times but never
-- stored: a stored copy holds every column of every row chosen (10M rows took 20 s on the Overview), where each
-- read otherwise scans only the columns its statement uses.
create or replace macro macros.crossings_near(border_a, border_b, countries, dim_names, dim_codes) as table
    with near as not materialized (
        select *
        from crossings
        where macros.on_border(country_iso3, neighbor_iso3, border_a, border_b)
          and (countries is null or list_contains(countries, country_iso3) or list_contains(countries, neighbor_iso3))
          and macros.dimensions_match(dimensions, dim_names, dim_codes)
    ),
    part_of as (
        -- each dimension of a broken-down figure that no filter holds, with the figure's other codes
        select *, unnest(map_keys(dimensions)) as summed_dimension
        from near
        where cardinality(dimensions) > 0
    ),
    parts as (
        select *, map_from_entries(list_filter(map_entries(dimensions),
                                               lambda entry: entry.key <> summed_dimension)) as other_codes
        from part_of
        where dim_names is null or not list_contains(dim_names, summed_dimension)
    ),
    publisher_totals as (
        select distinct location_id, country_iso3, neighbor_iso3, reporter_iso3, reporter_org, direction,
               period_start, period_granularity, measure, summed_dimension, other_codes
        from parts
        where dimensions[summed_dimension] = '_total'
    ),
    covered as (
        -- a part whose publisher's total over one of its dimensions is in the release
        select distinct p.* exclude (summed_dimension, other_codes)
        from parts p
        semi join publisher_totals t
            on t.location_id is not distinct from p.location_id and t.country_iso3 is not distinct from p.country_iso3
           and t.neighbor_iso3 is not distinct from p.neighbor_iso3
           and t.reporter_iso3 is not distinct from p.reporter_iso3
           and t.reporter_org is not distinct from p.reporter_org and t.direction is not distinct from p.direction
           and t.period_start = p.period_start and t.period_granularity = p.period_granularity
           and t.measure = p.measure and t.summed_dimension = p.summed_dimension
           and t.other_codes = p.other_codes
        where p.dimensions[p.summed_dimension] <> '_total'
    )
    select * from near
    where cardinality(dimensions) = 0 or not exists (select 1 from publisher_totals)
    union all
    (select * from near where cardinality(dimensions) > 0 and exists (select 1 from publisher_totals)
     except all
     select * from covered);

-- The figures of the CTE named `figures` with each flow counted once: where two reporters count the same flow
-- (one side's outbound figure, the other side's inbound figure at the same crossing point, period_start and
-- measure) only the inbound figure is kept. The CTE has at least location_id, period_start, measure,
-- country_iso3, neighbor_iso3 and direction (a statement that matches whole months gives the month as
-- period_start). It is read three times: declare it `not materialized` when it is a plain selection of rows
-- (DuckDB then scans only the columns each read uses), `materialized` when it is grouped. The outbound figures are
-- matched by a semi join from their (few) keys, so that millions of inbound-only rows cost one scan. The Map's
-- figures use it; rows of covered_crossings say it themselves (mirrored_outbound), with the same answer.
create or replace macro macros.inbound_first(figures) as table
    with outbound as (
        select * from query_table(figures) where direction = 'outbound'
    ),
    outbound_keys as (
        select distinct location_id, period_start, measure, country_iso3, neighbor_iso3 from outbound
    ),
    mirrored as (
        -- outbound figures that the other side also counts as inbound (same place, period, measure and flow)
        select o.* from outbound_keys o
        semi join query_table(figures) i on i.direction = 'inbound' and i.location_id = o.location_id
            and i.period_start = o.period_start and i.measure = o.measure
            and i.country_iso3 = o.neighbor_iso3 and i.neighbor_iso3 = o.country_iso3
    )
    select * from query_table(figures) where direction <> 'outbound'
    union all
    select o.* from outbound o
    anti join mirrored m on m.location_id = o.location_id and m.period_start = o.period_start
        and m.measure = o.measure and m.country_iso3 = o.country_iso3 and m.neighbor_iso3 = o.neighbor_iso3;

-- An aggregate: the value of a crossing point's rows taken from the inbound side (then the first reporter by
-- code, then the smallest value), so that a point both sides report is always labelled the same way:
-- macros.inbound_side(location_name, direction, country_iso3) names it, (country_iso3, ...) gives its country.
create or replace macro macros.inbound_side(value, direction, country) as
    arg_min(value, (direction <> 'inbound', country, value));

-- The crossing figures of a border and countries (crossings_near), of the measures (a list; NULL: all) and a
-- crossing point (NULL: all), in the months first_month..last_month and from months_from (NULL: no bound), summed
-- per series key and month: value is the sum of the published figures (NULL when none is: never 0); figures,
-- published, withheld and missing count them; last_day is the latest day a daily figure covers (the month's own
-- start for monthly figures). Publish stores it for the whole release without filters (the release's
-- crossing_months table), which covered_crossings reads instead whenever no dimension is filtered and the bounds
-- are whole months: the same rows, without grouping every figure at every page view.
create or replace macro macros.figure_months(border_a, border_b, countries, dim_names, dim_codes, measures, location,
                                             first_month, last_month, months_from) as table
    with chosen as (
        select series_key, date_trunc('month', period_start)::date as period_start, period_start as day, value,
               value_status
        from macros.crossings_near(border_a, border_b, countries, dim_names, dim_codes)
        where period_granularity in ('day', 'month') and macros.charted(period_start)
          and (measures is null or list_contains(measures, measure))
          and (location is null or location_id = location)
          and (first_month is null or period_start >= first_month)
          and (last_month is null or period_start <= last_month)
          and (months_from is null or period_start >= months_from)
    )
    select series_key, period_start, sum(value) as value, count(*) as figures, count(value) as published,
           count(*) filter (where value_status in ('withheld_by_publisher', 'suppressed', 'dropped')) as withheld,
           count(*) filter (where value_status = 'missing') as missing,
           case when bool_and(day = period_start) then min(period_start) else max(day) end as last_day
    from chosen
    group by series_key, period_start;

-- The months of the CTE named `months` (series_key, period_start: a month's first day, value, figures, published,
-- and the key's location_id, measure, country_iso3, neighbor_iso3 and direction; other columns are kept), each flow
-- and its year before found once for them: mirrored_outbound, an outbound month of a flow the other side counts
-- inbound in the same month (same crossing point, measure and pair of countries; inbound_first leaves it out), and
-- paired_year_before, the key's value 12 months earlier where like may be compared with like (that month among the
-- rows, all its figures published, not mirrored; NULL otherwise). Publish stores both in crossing_months
-- (sql/release/crossing_months_insert.sql); covered_crossings finds them for the sums it makes itself.
create or replace macro macros.flows_paired(months) as table
    with inbound_months as (
        select distinct location_id, measure, period_start, country_iso3, neighbor_iso3
        from query_table(months)
        where direction = 'inbound'
    ),
    flagged as (
        select m.*, m.direction = 'outbound' and i.location_id is not null as mirrored_outbound
        from query_table(months) m
        left join inbound_months i on m.direction = 'outbound' and i.location_id = m.location_id
            and i.measure = m.measure and i.period_start = m.period_start and i.country_iso3 = m.neighbor_iso3
            and i.neighbor_iso3 = m.country_iso3
    )
    select f.*, y.value as paired_year_before
    from flagged f
    left join flagged y on y.series_key = f.series_key
        and y.period_start = (f.period_start - interval 12 month)::date and y.published = y.figures
        and not y.mirrored_outbound;

-- True when figure_months may be read from the release's crossing_months table: no dimension is filtered, and
-- each bound is a month's first day (first_month, months_from) or last day (last_month), so that a month's daily
-- figures are all in or all out.
create or replace macro macros.whole_months(dim_names, first_month, last_month, months_from) as
    dim_names is null
    and (first_month is null or first_month::date = date_trunc('month', first_month::date))
    and (months_from is null or months_from::date = date_trunc('month', months_from::date))
    and (last_month is null or last_month::date = last_day(last_month::date));

-- figure_months as the release's crossing_months table holds it (publish sums it over the whole release without
-- filters; sql/release/crossing_months_insert.sql): the same rows when no dimension is filtered and the bounds are
-- whole months (macros.whole_months), every filter here being one on a whole series.
create or replace macro macros.stored_figure_months(border_a, border_b, countries, measures, location, first_month,
                                                    last_month, months_from) as table
    select series_key, period_start, value, figures, published, withheld, missing, last_day, mirrored_outbound,
           -- a pair whose earlier month is cut off (before first_month or months_from) is none here
           case when (first_month is null or (period_start - interval 12 month)::date >= first_month)
                     and (months_from is null or (period_start - interval 12 month)::date >= months_from)
                then paired_year_before end as paired_year_before
    from crossing_months
    where macros.on_border(country_iso3, neighbor_iso3, border_a, border_b)
      and (countries is null or list_contains(countries, country_iso3) or list_contains(countries, neighbor_iso3))
      and (measures is null or list_contains(measures, measure))
      and (location is null or location_id = location)
      and (first_month is null or period_start >= first_month)
      and (last_month is null or period_start <= last_month)
      and (months_from is null or period_start >= months_from);

-- Crossing figures as the statements count and compare them, one row per month and series key (crossing point,
-- measure, direction, the two countries, reporter; series_key, the release's one integer for them): of a border
-- and countries (crossings_near), of the measures (a list; NULL: all) and a crossing point (NULL: all), in the
-- months first_month..last_month (NULL: no bound), as figure_months sums them (from the release's crossing_months
-- where macros.whole_months allows). Coverage: a key with a figure in those months is expected in every month
-- from the first to the last month of the selection; a month in which neither side published a row for its flow
-- is a row of its own (absent true: one figure, missing), so that a gap reads as missing, never as a drop.
-- Each flow is still there twice where both sides publish it: mirrored_outbound marks the outbound side's row of
-- such a month (the row inbound_first would leave out: the other side's inbound row of the same crossing point,
-- measure, pair of countries and month is chosen too, as every filter here keeps or drops both), and a statement
-- counts each flow once with `where not mirrored_outbound`; publish finds it once for the release's
-- crossing_months, the macro for the sums it makes. paired_year_before: the key's value 12 months earlier where
-- like may be compared with like (that month among the rows, all its figures published, not mirrored; NULL
-- otherwise and on an absent row), stored or found the same way. (10M figures: the Overview's statement
-- 0.58 -> 0.29 s with both, against matching every month with its mirror and its year before at each view.)
-- months_from (NULL: none; for a statement with first_month NULL): rows are returned from that month on only,
-- and the keys with figures before it are still expected there, read from the release's crossing_series table
-- rather than from decades of figures (macros.two_year_start gives it): the same rows from months_from on.
create or replace macro macros.covered_crossings(border_a, border_b, countries, dim_names, dim_codes, measures,
                                                 location, first_month, last_month, months_from) as table
    with key_sums as (
        -- mirrored_outbound: an outbound month of a flow the other side counts inbound in the same month, as the
        -- release's crossing_months says; NULL for the sums made here, found below. paired_year_before: the
        -- key's value 12 months earlier where both can be compared (stored; found below for the sums made here)
        select *
        from macros.stored_figure_months(border_a, border_b, countries, measures, location, first_month, last_month,
                                         months_from)
        where macros.whole_months(dim_names, first_month, last_month, months_from)
        union all
        select *, null::boolean as mirrored_outbound, null::double as paired_year_before
        from macros.figure_months(border_a, border_b, countries, dim_names, dim_codes, measures, location,
                                  first_month, last_month, months_from)
        where not macros.whole_months(dim_names, first_month, last_month, months_from)
    ),
    key_attributes as (
        -- the six columns a series key stands for, and a name of its crossing point, from the release's series
        -- (a few thousand rows), not from each of the figures
        select series_key, any_value(location_id) as location_id, any_value(country_iso3) as country_iso3,
               any_value(neighbor_iso3) as neighbor_iso3, any_value(direction) as direction,
               any_value(coalesce(reporter_iso3, reporter_org)) as reporter, any_value(measure) as measure,
               any_value(location_name) as location_name
        from crossing_series
        group by series_key
    ),
    key_months as not materialized (
        -- read by four CTEs below; joining the stored sums again is cheaper than storing a copy (10M figures:
        -- Trends' same-months statement 0.69 -> 0.47 s)
        select s.*, a.* exclude (series_key)
        from key_sums s
        join key_attributes a on a.series_key = s.series_key
    ),
    earlier_keys as (
        -- keys with a figure before months_from (the filters of crossings_near and chosen, on whole series)
        select series_key
        from crossing_series
        where months_from is not null and charted_from < months_from
          and (first_month is null or charted_to >= first_month)
          and period_granularity in ('day', 'month')
          and macros.on_border(country_iso3, neighbor_iso3, border_a, border_b)
          and (countries is null or list_contains(countries, country_iso3) or list_contains(countries, neighbor_iso3))
          and macros.dimensions_match(dimensions, dim_names, dim_codes)
          and (measures is null or list_contains(measures, measure))
          and (location is null or location_id = location)
    ),
    key_month_counts as (
        select series_key, sum(months) as months
        from (select series_key, 1 as months from key_months
              union all
              select series_key, 0 as months from earlier_keys)
        group by series_key
    ),
    series_keys as (
        select a.*, c.months,
               case when a.direction = 'outbound' then a.country_iso3 else a.neighbor_iso3 end as from_iso3,
               case when a.direction = 'outbound' then a.neighbor_iso3 else a.country_iso3 end as into_iso3
        from key_month_counts c
        join key_attributes a on a.series_key = c.series_key
    ),
    covered_months as (
        -- from the first month of the selection; from months_from when a key has figures before it
        select unnest(generate_series(case when exists (select 1 from earlier_keys) then months_from::date
                                           else min(period_start) end,
                                      max(period_start), interval 1 month))::date as period_start
        from key_months
    ),
    gaps as (
        -- the keys without a row in some month covered (one row a month at most): only they can have absent rows
        select * exclude (months) from series_keys
        where months < (select count(*) from covered_months)
    ),
    flows_seen as (
        -- a flow is published in a month when either side has a row for it (a row whose value is withheld too);
        -- only the flows of keys with gaps are looked at
        select distinct location_id, measure, period_start, from_iso3, into_iso3
        from (select location_id, measure, period_start,
                     case when direction = 'outbound' then country_iso3 else neighbor_iso3 end as from_iso3,
                     case when direction = 'outbound' then neighbor_iso3 else country_iso3 end as into_iso3
              from key_months) as seen
        semi join gaps g on g.location_id is not distinct from seen.location_id and g.measure = seen.measure
            and g.from_iso3 is not distinct from seen.from_iso3 and g.into_iso3 is not distinct from seen.into_iso3
    ),
    inbound_keys as (
        -- a month without figures of an outbound key is mirrored when the other side's inbound key of the same
        -- flow is chosen: that key has no figure in the month either, so it has a row for the month here too
        select distinct location_id, measure, country_iso3, neighbor_iso3 from series_keys where direction = 'inbound'
    ),
    absent as (
        select k.*, m.period_start,
               k.direction = 'outbound' and exists (
                   select 1 from inbound_keys i
                   where i.location_id = k.location_id and i.measure = k.measure
                     and i.country_iso3 = k.neighbor_iso3 and i.neighbor_iso3 = k.country_iso3) as mirrored_outbound
        from gaps k cross join covered_months m
        anti join flows_seen f on f.location_id is not distinct from k.location_id and f.measure = k.measure
            and f.period_start = m.period_start and f.from_iso3 is not distinct from k.from_iso3
            and f.into_iso3 is not distinct from k.into_iso3
    ),
    summed_months as (
        -- the sums made here (none where crossing_months answers)
        select * exclude (mirrored_outbound, paired_year_before) from key_months where mirrored_outbound is null
    ),
    summed_paired as (
        -- each flow and its year before found for them as publish finds them for crossing_months
        select * from macros.flows_paired('summed_months')
    )
    select series_key, location_id, location_name, country_iso3, neighbor_iso3, direction, reporter, measure,
           period_start, value, figures, published, withheld, missing, false as absent, last_day, mirrored_outbound,
           paired_year_before
    from key_months
    where mirrored_outbound is not null
    union all
    select series_key, location_id, location_name, country_iso3, neighbor_iso3, direction, reporter, measure,
           period_start, value, figures, published, withheld, missing, false as absent, last_day, mirrored_outbound,
           paired_year_before
    from summed_paired
    union all
    select series_key, location_id, location_name, country_iso3, neighbor_iso3, direction, reporter, measure,
           period_start, null::double, 1, 0, 0, 1, true, period_start, mirrored_outbound, null::double
    from absent;

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
          and (months_from is null or period_start >= months_from)
    ),
    stored_span as (
        select greatest((select min(period_start) from crossing_reporter_months
                         where not absent and (measures is null or list_contains(measures, measure))),
                        months_from::date) as from_month,
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

-- Exercise notices of a border (their nearest border; border_a NULL: any) and of countries (a list of ISO3
-- codes, NULL: all; the notifying state or a participant), any dates; every column of exercise_notices and the
-- nearest border's name (border_name).
create or replace macro macros.notices_near(border_a, border_b, countries) as table
    select n.*, b.name as border_name
    from exercise_notices n
    left join borders b on b.border_id = n.nearest_border_id
    where macros.on_border(b.iso3_a, b.iso3_b, border_a, border_b)
      and (countries is null or list_contains(countries, n.notifying_iso3)
           or len(list_intersect(countries, n.participating_iso3)) > 0);

-- ... under way on some day of the period date_from..date_to (inclusive; no end date: the start day only).
create or replace macro macros.filtered_notices(date_from, date_to, border_a, border_b, countries) as table
    select *
    from macros.notices_near(border_a, border_b, countries)
    where start_date <= date_to
      and coalesce(macros.last_possible_day(end_date, end_date_precision),
                   macros.last_possible_day(start_date, start_date_precision)) >= date_from;

-- Infrastructure projects of a border (their nearest border, as for notices) and of countries (the project's
-- country or one of its countries), any dates; every column of infrastructure_projects, and when the project
-- starts and ends (starts, ends: actual, else planned; a project under construction or suspended without an
-- actual end still runs on the release date, whatever end was planned; ends_latest: the last day `ends` can stand
-- for, macros.last_possible_day, which the period filter compares).
create or replace macro macros.projects_near(border_a, border_b, countries) as table
    select p.*, coalesce(p.actual_start, p.planned_start) as starts,
           case when p.actual_end is null and p.status in ('under_construction', 'suspended')
                then greatest(p.planned_end, (select try_cast(value as date) from release_info where key = 'created'))
                else coalesce(p.actual_end, p.planned_end) end as ends,
           case when p.actual_end is null and p.status in ('under_construction', 'suspended')
                then greatest(macros.last_possible_day(p.planned_end, p.planned_end_precision),
                              (select try_cast(value as date) from release_info where key = 'created'))
                when p.actual_end is not null then macros.last_possible_day(p.actual_end, p.actual_end_precision)
                else macros.last_possible_day(p.planned_end, p.planned_end_precision) end as ends_latest
    from infrastructure_projects p
    left join borders b on b.border_id = p.nearest_border_id
    where macros.on_border(b.iso3_a, b.iso3_b, border_a, border_b)
      and (countries is null or list_contains(countries, p.country_iso3)
           or len(list_intersect(countries, p.countries_iso3)) > 0);

-- ... active in the period date_from..date_to or undated (no start: started; no end: not ended), within max_km
-- of the nearest border (NULL: any distance) and with one of statuses (NULL: any status; the Map passes NULL for
-- both, the Infrastructure page its choices).
create or replace macro macros.filtered_projects(date_from, date_to, border_a, border_b, countries, max_km,
                                                 statuses) as table
    select *
    from macros.projects_near(border_a, border_b, countries)
    where (starts is null or starts <= date_to) and (ends_latest is null or ends_latest >= date_from)
      and (max_km is null or distance_to_border_km <= max_km)
      and (statuses is null or list_contains(statuses, status));

-- Map layers of many features: the rows of the CTE named `places` (lon, lat: the published point, a coarsened
-- feature's is the centre of its cell; geojson: the published area, line or cell, whose first vertex places a
-- feature without a point; any other columns) that have a place, each with the square grid cell it is counted
-- in (west, south, step) and the extent of all of them (min_x, min_y, max_x, max_y). Nothing finer than the
-- release is used. The non-empty cells of a base grid of `base` degrees are found once; the cells are the
-- smallest of `steps` (multiples of base, ascending) that gives at most max_cells non-empty cells (else the
-- largest). The statement counts what it needs per cell (group by west, south).
create or replace macro macros.grid_places(places, base, steps, max_cells) as table
    with placed as (
        select * exclude (vertex),
               coalesce(lon, try_cast(vertex.x as double)) as x, coalesce(lat, try_cast(vertex.y as double)) as y
        from (
            select *, case when lat is null or lon is null then
                          regexp_extract(geojson, '\[\s*(-?[0-9][0-9.eE+-]*)\s*,\s*(-?[0-9][0-9.eE+-]*)', ['x', 'y'])
                      end as vertex
            from query_table(places)
        )
    ),
    located as materialized (   -- read three times: placed once (inlined, the map's cells took twice as long)
        select * replace (least(x, 179.99999) as x, least(y, 89.99999) as y)
        from placed
        where x between -180 and 180 and y between -90 and 90
    ),
    base_cells as (
        select distinct floor(x / base)::bigint as bi, floor(y / base)::bigint as bj from located
    ),
    spread as (
        select s.step, count(distinct (floor(c.bi * base / s.step), floor(c.bj * base / s.step))) as cells
        from base_cells c cross join (select unnest(steps) as step) s
        group by s.step
    ),
    chosen as (
        select coalesce(min(step) filter (where cells <= max_cells), max(step)) as step from spread
    ),
    extent as (
        select min(x) as min_x, min(y) as min_y, max(x) as max_x, max(y) as max_y from located
    )
    select l.*, round(floor(floor(l.x / base)::bigint * base / c.step) * c.step, 5) as west,
           round(floor(floor(l.y / base)::bigint * base / c.step) * c.step, 5) as south, c.step,
           e.min_x, e.min_y, e.max_x, e.max_y
    from located l cross join chosen c cross join extent e;

-- Infrastructure projects (as filtered_projects chooses them) counted per grid cell (grid_places), by status:
-- the Map's layer of many projects (map_project_cells.sql) and the Infrastructure page's map (projects_cells.sql).
create or replace macro macros.project_cells(date_from, date_to, border_a, border_b, countries, max_km, statuses,
                                             base, steps, max_cells) as table
    with places as (
        select lon, lat, coalesce(location_cell_geojson, geometry_geojson) as geojson, status
        from macros.filtered_projects(date_from, date_to, border_a, border_b, countries, max_km, statuses)
    ),
    cells as (
        select west, south, step, count(*) as projects,
               count(*) filter (where status = 'planned') as planned,
               count(*) filter (where status = 'under_construction') as under_construction,
               count(*) filter (where status = 'completed') as completed,
               count(*) filter (where status = 'suspended') as suspended,
               count(*) filter (where status = 'cancelled') as cancelled,
               min_x, min_y, max_x, max_y
        from macros.grid_places('places', base, steps, max_cells)
        group by all
    )
    select west, south, step, projects, planned, under_construction, completed, suspended, cancelled,
           projects - planned - under_construction - completed - suspended - cancelled as other,
           min_x, min_y, max_x, max_y
    from cells;

-- The figures of a set of notices (the CTE `notices`: the verdict columns that publish stored in exercise_notices,
-- late, notifiable and observation_required, each yes / no / unknown, and observers_invited), one row: how many,
-- notified late (para 38, or para 41 for an activity without advance notice to the troops), lead time unknown,
-- reaching a notification (40.x) or observation (47.4) threshold or undecided, and of those reaching 47.4 how
-- many invited no observers or do not say (undecided also when the threshold itself is undecided and no
-- invitation is stated). The Notices page, the Overview and the extracts read the same verdicts.
create or replace macro macros.notice_figures(notices) as table
    with lead_rule as (
        select value as min_days from vd_thresholds where paragraph = '38' and metric = 'lead_time_days'
    )
    select count(*) as notices,
           count(*) filter (where j.late = 'yes') as late,
           count(*) filter (where j.late = 'unknown') as lead_unknown,
           count(*) filter (where j.notifiable = 'yes') as notification_threshold,
           count(*) filter (where j.notifiable = 'unknown') as notification_undecided,
           count(*) filter (where j.observation_required = 'yes') as observation_threshold,
           count(*) filter (where j.observation_required = 'unknown') as observation_undecided,
           count(*) filter (where j.observation_required = 'yes' and j.observers_invited = false) as observers_missing,
           count(*) filter (where (j.observation_required = 'yes' and j.observers_invited is null)
                            or (j.observation_required = 'unknown' and j.observers_invited is not true))
               as observers_undecided,
           (select min_days from lead_rule) as min_lead_days
    from query_table(notices) j;
