-- What each rule (and each publisher) withheld, counted; filled by data_pipeline.publish.release.
create table _redactions (
    rule_id varchar,
    action varchar,
    dataset varchar,
    field varchar,
    publisher varchar,
    reason varchar,
    rows_affected bigint,
    k bigint,
    precision varchar,
    precision_km double,
    detail varchar
)
