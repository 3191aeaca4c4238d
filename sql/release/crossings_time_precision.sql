-- A crossing count's time precision is its period: day, month or year as published.
update crossings
set time_precision = period_granularity
