-- Macros shared by the statements in sql/app/: the sidebar's filters, the count of a flow reported by both
-- sides, and the map's grid cells, each defined once (the crossings' months and two-year windows are in
-- crossing_month_macros.sql and two_year_macros.sql, run after this file). Not a statement to run by name:
-- data_pipeline/views/release_connections.py runs these files (data_pipeline.db.APP_MACROS) once per release
-- connection, into an in-memory catalog `macros` attached beside the read-only release, and a statement calls them
-- by that name: `from macros.filtered_notices($date_from, $date_to, ...)`.
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
