-- The publishers of the crossing figures of this border, countries and period (what a chart of them can draw),
-- with their licences and whether their files are synthetic: a chart's source line names these, not every
-- publisher of the release.
with figures as (
    select distinct source_id
    from macros.crossings_near($border_a, $border_b, $countries, $dim_names, $dim_codes)
    where period_start between $date_from and $date_to
),
publishers as (
    select s.publisher, s.licence, s.synthetic
    from sources s
    join figures f on f.source_id = s.source_id
)
select publisher, licence, bool_or(synthetic) as synthetic
from publishers
group by publisher, licence
order by publisher, licence
