-- The time precision of a notice as published: the coarsest of its dates' precisions (day, month
-- or year; a date known only to the month makes the row's dates month-precise); day when it has no date.
update exercise_notices
set time_precision = case
        when list_contains([notified_on_precision, start_date_precision, end_date_precision], 'year') then 'year'
        when list_contains([notified_on_precision, start_date_precision, end_date_precision], 'month') then 'month'
        else 'day' end
