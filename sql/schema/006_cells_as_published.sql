-- Cells whose loaded value is not their text as published (a list of free text split at ';' whose items were trimmed
-- or dropped, a list cell of spaces loaded as missing): the working database keeps the cell as published beside the
-- source and line, so the operator can always give the original back. Never copied into a release.
create table if not exists cells_as_published (
    source_id varchar not null,
    source_line bigint not null,
    dataset varchar not null,
    field varchar not null,
    as_published varchar not null
);
