-- Overview: per reporter and measure, the reporter's own latest 12 complete months with figures (on or before
-- $date_to) against its 12 months before (macros.latest_two_years). Publishers' figures end in different months;
-- comparing each with itself keeps a publisher whose figures run further from making the others look like a
-- fall. A month a publisher left without a figure it gives in other months counts as missing
-- (macros.covered_crossings). The change pairs figure with figure: compared_last and compared_previous sum the
-- figures published in both years (same crossing point, measure, direction and month). Where two reporters
-- count the same flow, only the inbound figure counts. The sums per reporter, measure and month come from
-- macros.reporter_month_sums (stored at publish for the default view).
-- $months_from: the first month read (two_year_start.sql), a constant, so older row groups are skipped.
with source as materialized (
    select *, reporter as owner, measure as part
    from macros.reporter_month_sums($border_a, $border_b, $countries, $dim_names, $dim_codes, null, null, null,
                                    $date_to, $months_from)
)
select owner as reporter, part as measure, latest_month, last_12, previous_12, figures_last, withheld_last,
       missing_last, figures_previous, withheld_previous, missing_previous, compared_last, compared_previous,
       figures_compared
from macros.two_year_totals('source')
order by reporter, measure
