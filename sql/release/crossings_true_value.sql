-- The working value of each crossing cell, kept beside the one rules change (helper column, never published):
-- the suppression audit needs the true margin totals an attacker might know. A column added and set, not the
-- table written again (at 10M figures 8 s against 0.5).
alter table crossings add column _true_value double;
update crossings set _true_value = value;
