-- The month from which the Overview's and the Ranking's statements read crossing figures (their $months_from):
-- early enough for every owner's latest 24 months (macros.two_year_start; $by_location: the owners are crossing
-- points, else reporters). Bound as a constant, it lets a statement skip the row groups of older figures.
select macros.two_year_start($border_a, $border_b, $countries, $dim_names, $dim_codes, $measures, $date_to,
                             $by_location) as months_from
