-- The first and last day the app draws as time (macros.charted): a chart built in Python leaves out what is outside.
select macros.first_charted_day() as first_day, macros.last_charted_day() as last_day
