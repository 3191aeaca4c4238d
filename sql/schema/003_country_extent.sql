-- Each country's extent (Natural Earth 110m, with a margin), so validation can tell swapped coordinates
-- (a point that lies in its country only once latitude and longitude are exchanged) from wrong ones.
alter table countries add column if not exists min_lon double;
alter table countries add column if not exists min_lat double;
alter table countries add column if not exists max_lon double;
alter table countries add column if not exists max_lat double;
