-- Issue 10: a crossing figure is a cell of a cube, not only a count at a port reported by a state.
--   place_kind      what location_id names: crossing_point (every row before this migration) | border_section |
--                   route | region | border | country
--   dimensions      the publisher's breakdown of the figure, one entry per declared dimension (nationality, mode,
--                   traveller_category, ...), keys in alphabetical order; {} for a figure without a breakdown.
--                   Part of the key: two rows that differ only here are two cells, not a duplicate.
--   period_label    the period as the publisher wrote it (FY2021 March), beside the period_start it means
-- An organisation may report with no country (reporter_iso3 null, reporter_org set), and a route or sea area has
-- no country side: country_iso3 becomes nullable; validation still asks for it at a crossing point.
alter table crossings add column if not exists place_kind varchar default 'crossing_point';
alter table crossings add column if not exists dimensions map(varchar, varchar) default map();
alter table crossings add column if not exists period_label varchar;
alter table crossings alter column country_iso3 drop not null;
