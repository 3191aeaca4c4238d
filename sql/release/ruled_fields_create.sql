-- Fields a rule names, for the revisions filter: k for suppress_below (both values must reach it), else NULL.
create table _ruled_fields (
    dataset varchar,
    field varchar,
    k double
)
