-- Macros of the crossing figures per series key and month, as the Overview, the Ranking and Trends count them: the
-- sums (figure_months, or the release's crossing_months: stored_figure_months), each flow once and its year before
-- (flows_paired), and the months a publisher left without a figure (covered_crossings). Run after sql/app/macros.sql
-- into the same `macros` catalog (data_pipeline.db.APP_MACROS); the conventions are that file's.

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
