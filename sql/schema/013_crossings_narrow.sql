-- Issue 10, point 1: the crossings cube stored as a statistical cube is, facts narrow, places and series as their own
-- tables joined by id. A place (crossing point, route, region ...) and a series (a place's figures by one reporter,
-- direction, measure and breakdown) are written once, not on each of their rows: writing a figure costs its 8
-- columns instead of 25, and the nearest border is derived per place instead of updated on every row.
--   crossing_places  every distinct place as published: its id, name, region, kind, country pair, coordinates,
--                    precision; border_id and distance_to_border_km are derived from them (geo.derive)
--   crossing_series  every distinct series: its place, reporter, direction, measure (canonical and as published)
--                    and dimensions
--   crossing_facts   one row per figure: series, period (start, granularity, the publisher's label), value,
--                    status, and the source file and line it came from
-- `crossings` becomes a view that joins the three into the columns and order the table had, so every reader (the
-- release, reports, the checks) reads what it read before. Existing rows move over unchanged; the derived border
-- fields of a place are the ones its rows held (they were written per place already).
create table crossing_places (
    place_id bigint not null,
    location_id varchar not null,
    location_name varchar,
    region_code varchar,
    region_original varchar,
    place_kind varchar,
    country_iso3 varchar,
    neighbor_iso3 varchar,
    lat double,
    lon double,
    location_precision varchar,
    border_id varchar,
    distance_to_border_km double
);

create table crossing_series (
    series_id bigint not null,
    place_id bigint not null,
    reporter_iso3 varchar,
    reporter_org varchar,
    direction varchar not null,
    measure varchar not null,
    measure_original varchar,
    dimensions map(varchar, varchar)
);

create table crossing_facts (
    series_id bigint not null,
    period_start date not null,
    period_granularity varchar not null,
    period_label varchar,
    value double,
    value_status varchar not null,
    source_id varchar not null,
    source_line bigint not null
);

insert into crossing_places by name
with source as (
    select * from crossings
),
places as (
    select
        location_id, location_name, region_code, region_original, place_kind, country_iso3, neighbor_iso3, lat, lon,
        location_precision, max(border_id) as border_id, max(distance_to_border_km) as distance_to_border_km
    from source
    group by all
)
select row_number() over (order by location_id, country_iso3, neighbor_iso3, lat, lon, location_name) as place_id,
       *
from places;

insert into crossing_series by name
with source as (
    select * from crossings
),
series as (
    select distinct
        location_id, location_name, region_code, region_original, place_kind, country_iso3, neighbor_iso3, lat, lon,
        location_precision, reporter_iso3, reporter_org, direction, measure, measure_original, dimensions
    from source
),
placed as (
    select p.place_id, s.*
    from series s
    join crossing_places p
      on p.location_id = s.location_id
     and p.location_name is not distinct from s.location_name
     and p.region_code is not distinct from s.region_code
     and p.region_original is not distinct from s.region_original
     and p.place_kind is not distinct from s.place_kind
     and p.country_iso3 is not distinct from s.country_iso3
     and p.neighbor_iso3 is not distinct from s.neighbor_iso3
     and p.lat is not distinct from s.lat
     and p.lon is not distinct from s.lon
     and p.location_precision is not distinct from s.location_precision
)
select
    row_number() over (order by place_id, reporter_iso3, reporter_org, direction, measure, measure_original,
                       dimensions::varchar) as series_id,
    place_id, reporter_iso3, reporter_org, direction, measure, measure_original, dimensions
from placed;

-- A series with the attributes of its place: what an incoming row is matched on to find its series id.
create view crossing_series_keys as
select s.series_id, s.place_id, p.location_id, p.location_name, p.region_code, p.region_original, p.place_kind,
       p.country_iso3, p.neighbor_iso3, p.lat, p.lon, p.location_precision, s.reporter_iso3, s.reporter_org,
       s.direction, s.measure, s.measure_original, s.dimensions
from crossing_series s
join crossing_places p using (place_id);

insert into crossing_facts by name
with source as (
    select * from crossings
)
select k.series_id, c.period_start, c.period_granularity, c.period_label, c.value, c.value_status, c.source_id,
       c.source_line
from source c
join crossing_series_keys k
  on k.location_id = c.location_id
 and k.location_name is not distinct from c.location_name
 and k.region_code is not distinct from c.region_code
 and k.region_original is not distinct from c.region_original
 and k.place_kind is not distinct from c.place_kind
 and k.country_iso3 is not distinct from c.country_iso3
 and k.neighbor_iso3 is not distinct from c.neighbor_iso3
 and k.lat is not distinct from c.lat
 and k.lon is not distinct from c.lon
 and k.location_precision is not distinct from c.location_precision
 and k.reporter_iso3 is not distinct from c.reporter_iso3
 and k.reporter_org is not distinct from c.reporter_org
 and k.direction = c.direction
 and k.measure = c.measure
 and k.measure_original is not distinct from c.measure_original
 and k.dimensions is not distinct from c.dimensions;

drop table crossings;

create view crossings as
select
    p.location_id,
    p.location_name,
    p.region_code,
    p.region_original,
    p.country_iso3,
    p.neighbor_iso3,
    s.reporter_iso3,
    s.reporter_org,
    s.direction,
    f.period_start,
    f.period_granularity,
    s.measure,
    s.measure_original,
    f.value,
    f.value_status,
    p.lat,
    p.lon,
    p.location_precision,
    p.border_id,
    p.distance_to_border_km,
    f.source_id,
    f.source_line,
    p.place_kind,
    s.dimensions,
    f.period_label
from crossing_facts f
join crossing_series s using (series_id)
join crossing_places p using (place_id);
