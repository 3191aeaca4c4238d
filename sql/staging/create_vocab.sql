create or replace temp table _vocab (vocab varchar, key varchar, value varchar)
