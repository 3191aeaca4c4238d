-- coarsen_time: a date to the start of its ISO week (Monday), month or year, and its precision with it. A date
-- already as coarse as the unit (published to the month, coarsened to the week) is left as it is, and not counted:
-- cutting it again would invent a day the publisher never gave. time_precision keeps the coarsest of the row;
-- time_coarsened_to the coarsest unit a rule cut one of its dates to.
update "{table}"
set "{field}" = cast(date_trunc($unit, "{field}") as date),
    "{field}_precision" = $unit,
    time_precision = case
        when list_position(['day', 'week', 'month', 'year'], $unit)
             > list_position(['day', 'week', 'month', 'year'], coalesce(time_precision, 'day'))
        then $unit else time_precision end,
    time_coarsened_to = case
        when list_position(['day', 'week', 'month', 'year'], $unit)
             > list_position(['day', 'week', 'month', 'year'], coalesce(time_coarsened_to, 'day'))
        then $unit else time_coarsened_to end,
    _touched = list_append(_touched, $field)
where "{flag}" and "{field}" is not null
  and list_position(['day', 'week', 'month', 'year'], $unit)
      > list_position(['day', 'week', 'month', 'year'], coalesce("{field}_precision", 'day'))
