-- Overview: infrastructure projects by status (border and countries filters apply; all dates).
with source as (
    select p.status, p.kind
    from infrastructure_projects p
    left join borders b on b.border_id = p.nearest_border_id
    where ($border_a is null or (b.iso3_a = $border_a and b.iso3_b = $border_b)
           or (b.iso3_a = $border_b and b.iso3_b = $border_a))
      and ($countries is null or list_contains($countries, p.country_iso3)
           or len(list_intersect($countries, p.countries_iso3)) > 0)
)
select coalesce(status, 'unknown') as status, count(*) as projects from source group by all order by projects desc
