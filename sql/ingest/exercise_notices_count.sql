select count(*) from exercise_notices
