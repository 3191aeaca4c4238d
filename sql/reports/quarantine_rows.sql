with source as (
    select source_id, dataset, line_no, reasons, raw_record::varchar as raw_record from quarantine
)
select * from source
where $source_id is null or source_id = $source_id
order by source_id, line_no
