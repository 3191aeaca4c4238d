-- `borderlens quarantine --format csv`: the quarantined rows of quarantine_rows.sql with every text cell through
-- the extracts' formula guard (bl_csv_text, sql/export/macros.sql, loaded first), so that a raw record starting
-- with = + - @, tab or CR opens inert in a spreadsheet, exactly as in an extract. Reasons are joined with ';'.
with source as (
    select source_id, dataset, line_no, reasons, raw_record::varchar as raw_record from quarantine
    where $source_id is null or source_id = $source_id
),
cells as (
    select bl_csv_text(source_id) as source_id, bl_csv_text(dataset) as dataset, line_no,
           bl_csv_list(reasons) as reasons, bl_csv_text(raw_record) as raw_record, source_id as _source, line_no as _line
    from source
)
select source_id, dataset, line_no, reasons, raw_record from cells
order by _source, _line
