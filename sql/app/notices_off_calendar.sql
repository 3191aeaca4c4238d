-- Exercise notices page: how many notices in the period have a start or end outside the span the app draws as
-- time (macros.charted: a typo such as year 0 or 12345); the calendar leaves them out, the table shows their dates.
with source as (
    select n.start_date, coalesce(n.end_date, n.start_date) as end_date
    from macros.filtered_notices($date_from, $date_to, $border_a, $border_b, $countries) n
)
select count(*) as notices
from source
where not (macros.charted(start_date) and macros.charted(end_date))
