with source as (
    select line, error_type, csv_line
    from reject_errors
),
one_per_line as (
    select line, min(error_type) as error_type, min(csv_line) as csv_line
    from source
    group by line
)
select line, error_type, csv_line from one_per_line order by line
