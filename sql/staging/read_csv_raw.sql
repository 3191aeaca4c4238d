-- The publisher's file as text. Rows that do not split into the header's columns go to reject_errors.
-- Stored in the scratch database (staging.SCRATCH; in memory for a small file), compressed: cheap to hold and
-- fast to compute on.
-- The buffer size line is `buffer_size = $6,` or nothing (staging.reader_buffer_size): smaller buffers for a file under 512 MB,
-- so that it is read in enough pieces for every thread while its rows keep the file's order (their rowid is their
-- record number); a larger file keeps DuckDB's default.
create table _bl_scratch.main._raw as
select *
from read_csv(
    $1,
    all_varchar = true,
    header = true,
    delim = $2,
    quote = $3,
    escape = $3,
    encoding = $4,
    skip = $5,
    {buffer_size}
    store_rejects = true,
    auto_detect = true
)
