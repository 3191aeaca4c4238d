-- The publisher's file as text, its columns named from its header (staging.header_line) instead of sniffed: the
-- retry for a file whose sniffing failed (a line over the maximum in the sniffer's sample), so that the bad lines go
-- to reject_errors and the others load. $6: the line end after the header; $7: {name: 'VARCHAR', ...}.
create table _bl_scratch.main._raw as
select *
from read_csv(
    $1,
    header = true,
    delim = $2,
    quote = $3,
    escape = $3,
    encoding = $4,
    skip = $5,
    new_line = $6,
    columns = $7,
    store_rejects = true,
    auto_detect = false
)
