-- The callback relay: recorded requests and the event outbox (the relay commit fills it).
SELECT 1;
