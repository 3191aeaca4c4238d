-- Vienna Document 2011 (OSCE, FSC.DOC/1/11) thresholds, read by the notice indicators; never literals in code.
-- One row per (paragraph, metric, applies_to). Rows with the same paragraph and applies_to are OR-combined.
-- operator: '>=' for "at least" (Chapters V and VI), '>' for "more than" (Chapter VIII), '<=' for a limit.
-- applies_to:
--   lead_time                          the notice itself (metric lead_time_days = start_date - notified_on)
--   notification                       land forces or air force: notifiable when any row is met
--   notification_airborne_amphibious   amphibious landing or parachute assault only
--   observation                        observers must be invited when any row is met
--   observation_airborne_amphibious    amphibious landing or parachute assault only
--   constraint_activity                which activities a Chapter VIII limit counts (any row met)
--   constraint_limit                   the limit itself: how many such activities are allowed
-- Paragraph numbers follow VD2011; 68.1 is the "of these six, no more than three" sub-limit of paragraph 68.
-- Check each number against the published text before relying on it.

create table if not exists vd_thresholds (
    paragraph varchar not null,
    metric varchar not null,
    operator varchar not null,
    value double not null,
    applies_to varchar not null,
    description varchar not null,
    primary key (paragraph, metric, applies_to)
);

insert into vd_thresholds (paragraph, metric, operator, value, applies_to, description) values
    ('38', 'lead_time_days', '>=', 42, 'lead_time',
     'Written notification 42 days or more in advance of the start of a notifiable military activity'),
    ('40.1.1', 'troops', '>=', 9000, 'notification',
     'Land forces notifiable at 9,000 troops or more'),
    ('40.1.1', 'battle_tanks', '>=', 250, 'notification',
     'Land forces notifiable at 250 battle tanks or more'),
    ('40.1.1', 'acvs', '>=', 500, 'notification',
     'Land forces notifiable at 500 armoured combat vehicles or more'),
    ('40.1.1', 'artillery', '>=', 250, 'notification',
     'Land forces notifiable at 250 self-propelled and towed artillery pieces, mortars and multiple rocket launchers (100 mm calibre and above) or more'),
    ('40.1.2', 'sorties', '>=', 200, 'notification',
     'Air force participation notifiable at 200 sorties by fixed-wing aircraft or more'),
    ('40.2', 'troops', '>=', 3000, 'notification_airborne_amphibious',
     'Amphibious landing or parachute assault notifiable at 3,000 troops or more'),
    ('47.4', 'troops', '>=', 13000, 'observation',
     'Observers must be invited at 13,000 troops or more'),
    ('47.4', 'battle_tanks', '>=', 300, 'observation',
     'Observers must be invited at 300 battle tanks or more'),
    ('47.4', 'acvs', '>=', 500, 'observation',
     'Observers must be invited at 500 armoured combat vehicles or more'),
    ('47.4', 'artillery', '>=', 250, 'observation',
     'Observers must be invited at 250 artillery pieces, mortars and multiple rocket launchers (100 mm and above) or more'),
    ('47.4', 'troops', '>=', 3500, 'observation_airborne_amphibious',
     'Observers must be invited to an amphibious landing or parachute assault at 3,500 troops or more'),
    ('67', 'troops', '>', 40000, 'constraint_activity',
     'Counted for paragraph 67: activities involving more than 40,000 troops'),
    ('67', 'battle_tanks', '>', 900, 'constraint_activity',
     'Counted for paragraph 67: activities involving more than 900 battle tanks'),
    ('67', 'activities_in_three_calendar_years', '<=', 1, 'constraint_limit',
     'No more than one such activity within three calendar years'),
    ('68', 'troops', '>', 13000, 'constraint_activity',
     'Counted for paragraph 68: activities involving more than 13,000 troops'),
    ('68', 'battle_tanks', '>', 300, 'constraint_activity',
     'Counted for paragraph 68: activities involving more than 300 battle tanks'),
    ('68', 'troops', '>', 40000, 'constraint_ceiling',
     'Paragraph 68 counts activities up to 40,000 troops, larger ones fall under paragraph 67'),
    ('68', 'battle_tanks', '>', 900, 'constraint_ceiling',
     'Paragraph 68 counts activities up to 900 battle tanks, larger ones fall under paragraph 67'),
    ('68', 'activities_per_calendar_year', '<=', 6, 'constraint_limit',
     'No more than six such activities within a calendar year'),
    ('68.1', 'troops', '>', 25000, 'constraint_activity',
     'Counted for paragraph 68.1: activities involving more than 25,000 troops'),
    ('68.1', 'battle_tanks', '>', 400, 'constraint_activity',
     'Counted for paragraph 68.1: activities involving more than 400 battle tanks'),
    ('68.1', 'troops', '>', 40000, 'constraint_ceiling',
     'Paragraph 68.1 counts among the six of paragraph 68, so activities over 40,000 troops are not counted'),
    ('68.1', 'battle_tanks', '>', 900, 'constraint_ceiling',
     'Paragraph 68.1 counts among the six of paragraph 68, so activities over 900 battle tanks are not counted'),
    ('68.1', 'activities_per_calendar_year', '<=', 3, 'constraint_limit',
     'Of those six, no more than three over 25,000 troops or 400 battle tanks within a calendar year'),
    ('69', 'troops', '>', 13000, 'constraint_activity',
     'Counted for paragraph 69: activities involving more than 13,000 troops'),
    ('69', 'battle_tanks', '>', 300, 'constraint_activity',
     'Counted for paragraph 69: activities involving more than 300 battle tanks'),
    ('69', 'simultaneous_activities', '<=', 3, 'constraint_limit',
     'No more than three such activities carried out at the same time');
