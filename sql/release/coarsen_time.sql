-- coarsen_time: a date to the start of its ISO week (Monday) or month; time_precision keeps the coarsest.
update "{table}"
set "{field}" = cast(date_trunc($unit, "{field}") as date),
    time_precision = case when $unit = 'month' or time_precision = 'month' then 'month' else 'week' end,
    _touched = list_append(_touched, $field)
where "{flag}" and "{field}" is not null
