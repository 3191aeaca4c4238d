-- Macros shared by the statements in sql/app/: the sidebar's filters, the count of a flow reported by both
-- sides, and the map's grid cells, each defined once. Not a statement to run by name: data_pipeline/queries.py
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

-- True when the two countries iso3_a, iso3_b (in either order) are the border chosen: border_a, border_b, a
-- sorted ISO3 pair; always true when none is (border_a NULL).
create or replace macro macros.on_border(iso3_a, iso3_b, border_a, border_b) as
    border_a is null or (iso3_a = border_a and iso3_b = border_b) or (iso3_a = border_b and iso3_b = border_a);

-- Crossing figures of a border (the reporting side and its neighbour; border_a NULL: any) and of countries (a
-- list of ISO3 codes, NULL: all; the reporting side or its neighbour), any dates; every column of crossings.
create or replace macro macros.crossings_near(border_a, border_b, countries) as table
    select *
    from crossings
    where macros.on_border(country_iso3, neighbor_iso3, border_a, border_b)
      and (countries is null or list_contains(countries, country_iso3) or list_contains(countries, neighbor_iso3));

-- The figures of the CTE named `figures` with each flow counted once: where two reporters count the same flow
-- (one side's outbound figure, the other side's inbound figure at the same crossing point, period_start and
-- measure) only the inbound figure is kept. The CTE has at least location_id, period_start, measure,
-- country_iso3, neighbor_iso3 and direction (a statement that matches whole months gives the month as
-- period_start). It is read three times: declare it `not materialized`. The outbound figures are matched by a
-- semi join from their (few) keys, so that millions of inbound-only rows cost one scan.
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
    where start_date <= date_to and coalesce(end_date, start_date) >= date_from;

-- Infrastructure projects of a border (their nearest border, as for notices) and of countries (the project's
-- country or one of its countries), any dates; every column of infrastructure_projects, and when the project
-- starts and ends (starts, ends: actual, else planned; a project under construction or suspended without an
-- actual end still runs on the release date, whatever end was planned).
create or replace macro macros.projects_near(border_a, border_b, countries) as table
    select p.*, coalesce(p.actual_start, p.planned_start) as starts,
           case when p.actual_end is null and p.status in ('under_construction', 'suspended')
                then greatest(p.planned_end, (select try_cast(value as date) from release_info where key = 'created'))
                else coalesce(p.actual_end, p.planned_end) end as ends
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
    where (starts is null or starts <= date_to) and (ends is null or ends >= date_from)
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
