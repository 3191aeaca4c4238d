-- VD2011 para 41: an activity carried out without advance notice to the troops is notified when the troops
-- start it, so its notice is judged by para 41, not by the 42 days of para 38. The flag as published and its
-- status (withheld, missing, dropped), and the para 41 rule in the reference table the verdicts read.
alter table exercise_notices add column if not exists without_advance_notice boolean;
alter table exercise_notices add column if not exists without_advance_notice_status varchar;

insert into vd_thresholds (paragraph, metric, operator, value, applies_to, description) values
    ('41', 'lead_time_days', '>=', 0, 'lead_time_without_advance_notice',
     'Activities carried out without advance notice to the troops: notification at the time the troops start')
on conflict do nothing;
