-- Each scratch row's id (_rid): 1..n in the order the rows were read from the working database, as
-- `row_number() over ()` in load_dataset.sql gave them. A table made by CREATE TABLE AS holds its rows in that order
-- and numbers them so (rowid, 0..n-1), and setting one column from it is cheap, while the window held every column
-- of every row at once (at 10M crossing figures 16 of the load's 38 s, spilling to disk).
update "{table}" set _rid = rowid + 1
