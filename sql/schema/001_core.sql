-- Canonical model of borderlens. One statement per object; the migration runner records the version.
-- Every field a publisher may withhold has a <field>_status column:
--   reported | withheld_by_publisher | suppressed | estimated | missing

create table if not exists countries (
    iso3 varchar primary key,
    iso2 varchar,
    name varchar not null,
    note varchar
);

create table if not exists sources (
    source_id varchar primary key,        -- profile name + ':' + first 12 hex of sha256
    series_id varchar not null,           -- publisher/dataset/file name: versions of one publication
    dataset varchar not null,
    publisher varchar,
    title varchar,
    url varchar,
    licence varchar,
    profile varchar not null,
    file_name varchar not null,
    path varchar,
    sha256 varchar not null,
    bytes bigint,
    ingested_at timestamp,
    version integer not null,
    synthetic boolean default false,
    rows_read bigint,
    rows_loaded bigint,
    rows_quarantined bigint,
    status varchar                         -- loaded | superseded
);

create sequence if not exists ingest_run_ids start 1;

create table if not exists ingest_runs (
    run_id bigint primary key,
    started_at timestamp,
    finished_at timestamp,
    path varchar,
    profile varchar,
    source_id varchar,
    status varchar,                        -- loaded | unchanged | failed
    message varchar
);

create table if not exists crossings (
    location_id varchar not null,          -- publisher-independent id of the crossing point (e.g. USA-0104)
    location_name varchar,
    region_code varchar,                   -- ISO 3166-2 where known (US-ME)
    region_original varchar,
    country_iso3 varchar not null,         -- the side of the border the figure is counted on
    neighbor_iso3 varchar,                 -- the other side
    reporter_iso3 varchar,                 -- who published the figure
    reporter_org varchar,                  -- or the organisation that published it
    direction varchar not null,            -- inbound | outbound | both, relative to country_iso3
    period_start date not null,
    period_granularity varchar not null,   -- day | month | year
    measure varchar not null,              -- canonical measure (personal_vehicle_passengers, ...)
    measure_original varchar,              -- as the publisher named it
    value double,
    value_status varchar not null,
    lat double,
    lon double,
    location_precision varchar,            -- exact | near | region
    border_id varchar,
    distance_to_border_km double,
    source_id varchar not null,
    source_line bigint not null
);

create table if not exists exercise_notices (
    notice_id varchar not null,
    designation varchar,
    purpose varchar,
    notifying_iso3 varchar,
    participating_iso3 varchar[],
    notified_on date,
    notified_on_status varchar,
    start_date date,
    end_date date,
    troops bigint,
    troops_status varchar,
    battle_tanks bigint,
    battle_tanks_status varchar,
    acvs bigint,
    acvs_status varchar,
    artillery bigint,
    artillery_status varchar,
    sorties bigint,
    sorties_status varchar,
    helicopters bigint,
    helicopters_status varchar,
    airborne_amphibious boolean,
    observers_invited boolean,
    observers_invited_status varchar,
    in_annual_calendar boolean,
    in_annual_calendar_status varchar,
    area_name varchar,
    area_geojson varchar,                   -- RFC 7946 geometry (Polygon/Point), lon/lat
    lat double,
    lon double,
    location_status varchar,
    location_precision varchar,             -- exact | near | region
    nearest_border_id varchar,
    distance_to_border_km double,
    source_id varchar not null,
    source_line bigint not null
);

create table if not exists infrastructure_projects (
    project_id varchar not null,
    name varchar,
    kind varchar,                           -- road | bridge | rail | crossing_point | customs | barrier | surveillance | demining | other
    status varchar,                         -- planned | under_construction | completed | suspended | cancelled
    country_iso3 varchar,
    countries_iso3 varchar[],
    funders varchar[],
    funders_status varchar,
    budget double,
    budget_status varchar,
    currency varchar,
    planned_start date,
    planned_end date,
    actual_start date,
    actual_end date,
    geometry_geojson varchar,
    geometry_type varchar,
    description varchar,
    lat double,
    lon double,
    location_status varchar,
    location_precision varchar,
    nearest_border_id varchar,
    distance_to_border_km double,
    source_id varchar not null,
    source_line bigint not null
);

create table if not exists borders (
    border_id varchar primary key,
    iso3_a varchar,
    iso3_b varchar,
    name varchar,
    kind varchar,                           -- land | disputed
    featurecla varchar,
    length_km double,
    geometry_geojson varchar,
    source varchar
);

create table if not exists quarantine (
    source_id varchar not null,
    dataset varchar not null,
    line_no bigint not null,
    reasons varchar[] not null,
    raw_record json
);

create table if not exists revisions (
    dataset varchar not null,
    record_key varchar not null,
    field varchar not null,
    old_value varchar,
    new_value varchar,
    old_status varchar,
    new_status varchar,
    old_source_id varchar,
    new_source_id varchar,
    old_version integer,
    new_version integer,
    detected_at timestamp
);
