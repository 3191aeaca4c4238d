-- The time precision of a project as published: the coarsest of its dates' precisions (day, month
-- or year; a date known only to the month makes the row's dates month-precise); day when it has no date.
update infrastructure_projects
set time_precision = case
        when list_contains([planned_start_precision, planned_end_precision, actual_start_precision, actual_end_precision], 'year') then 'year'
        when list_contains([planned_start_precision, planned_end_precision, actual_start_precision, actual_end_precision], 'month') then 'month'
        else 'day' end
